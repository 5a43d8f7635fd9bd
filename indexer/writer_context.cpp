#include "indexer/writer_context.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace gazette::indexer {

WriterContext::WriterContext(const Config& config) : config_(config), data_dir_(config.data_dir) {}

WriterContext::~WriterContext() {
    if (lock_fd_ >= 0) {
        ::close(lock_fd_); // releases the flock
    }
}

Result<std::unique_ptr<WriterContext>> WriterContext::open(const Config& config) {
    std::unique_ptr<WriterContext> ctx(new WriterContext(config));
    ctx->data_dir_.create_layout();
    ctx->lock_fd_ = ::open(ctx->data_dir_.lock_file().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (ctx->lock_fd_ < 0) {
        return Error(ErrorCode::internal,
                     fmt::format("cannot open {}: {}", ctx->data_dir_.lock_file().string(), std::strerror(errno)));
    }
    if (::flock(ctx->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        return Error(ErrorCode::conflict,
                     fmt::format("another gazette-indexer is writing to {} (lock {} is held); stop it or use its "
                                 "admin API",
                                 ctx->data_dir_.root().string(), ctx->data_dir_.lock_file().string()));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(ctx->lock_fd_, 0) == 0) {
        [[maybe_unused]] auto n = ::write(ctx->lock_fd_, pid.data(), pid.size());
    }
    ctx->analyzer_ = std::make_unique<Analyzer>(config.analysis);
    if (auto r = ctx->reload_taxonomy(); !r) {
        return r.error();
    }
    ctx->archive_ = std::make_unique<Archive>(ctx->data_dir_.archive_dir());
    ctx->dead_letter_ = std::make_unique<DeadLetter>(ctx->data_dir_.deadletter_dir());
    return ctx;
}

Result<void> WriterContext::reload_taxonomy() {
    if (config_.topics_file.empty()) {
        builder_ = std::make_unique<DocumentBuilder>(*analyzer_, nullptr);
        return {};
    }
    auto taxonomy = Taxonomy::load_file(config_.topics_file, *analyzer_);
    if (!taxonomy) {
        return taxonomy.error();
    }
    taxonomy_.emplace(std::move(*taxonomy));
    classifier_.emplace(*taxonomy_, *analyzer_);
    builder_ = std::make_unique<DocumentBuilder>(*analyzer_, &*classifier_);
    return {};
}

std::size_t WriterContext::threads() const noexcept {
    if (config_.indexer.threads > 0) {
        return config_.indexer.threads;
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace gazette::indexer
