#include "indexer/serve/inbox_watcher.hpp"

#include "common/data_dir.hpp"
#include "common/logging.hpp"
#include "indexer/serve/serve_metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <future>

namespace fs = std::filesystem;

namespace gazette::indexer::serve {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// A name in done/ that does not overwrite an earlier file of the same name.
fs::path done_target(const fs::path& done_dir, const fs::path& file) {
    fs::path target = done_dir / file.filename();
    std::error_code ec;
    if (!fs::exists(target, ec)) {
        return target;
    }
    const auto stamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    for (int i = 0;; ++i) {
        target = done_dir / fmt::format("{}.{}-{}{}", file.stem().string(), stamp, i, file.extension().string());
        if (!fs::exists(target, ec)) {
            return target;
        }
    }
}

} // namespace

bool inbox_accepts(const std::string& name) {
    return !name.empty() && name[0] != '.' && !ends_with(name, ".tmp") && !ends_with(name, ".part");
}

InboxWatcher::InboxWatcher(WriterContext& ctx, WriterLoop& writer, ServeMetrics& metrics, ReaderPool& readers)
    : ctx_(ctx), writer_(writer), metrics_(metrics), readers_(readers) {}

InboxWatcher::~InboxWatcher() { stop(); }

void InboxWatcher::start() {
    thread_ = std::thread([this] { run(); });
}

void InboxWatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void InboxWatcher::run() {
    const auto interval = std::chrono::milliseconds(std::max<std::uint32_t>(10, ctx_.config().indexer.inbox_poll_ms));
    for (;;) {
        try {
            poll_once();
        } catch (const std::exception& e) {
            logger("ingest")->error("inbox: {}", e.what());
        }
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, interval, [this] { return stopping_; })) {
            return;
        }
    }
}

std::size_t InboxWatcher::poll_once() {
    const fs::path inbox = ctx_.data_dir().inbox_dir();
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(inbox, ec)) {
        if (e.is_regular_file(ec) && inbox_accepts(e.path().filename().string())) {
            files.push_back(e.path());
        }
    }
    std::sort(files.begin(), files.end()); // oldest-named first, so a later file wins on the same id
    std::size_t moved = 0;
    for (const auto& f : files) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                break;
            }
        }
        if (process_file(f)) {
            ++moved;
        }
    }
    return moved;
}

bool InboxWatcher::process_file(const fs::path& file) {
    auto log = logger("ingest");
    const std::size_t batch_size = std::max<std::size_t>(1, ctx_.config().indexer.batch_size);
    std::vector<std::future<IngestOutcome>> pending;
    std::vector<ArchiveRecord> batch;
    std::size_t accepted = 0;
    std::size_t rejected = 0;
    bool aborted = false;
    auto flush = [&] {
        if (batch.empty() || aborted) {
            return;
        }
        auto promise = std::make_shared<std::promise<IngestOutcome>>();
        pending.push_back(promise->get_future());
        accepted += batch.size();
        const auto r = writer_.submit_wait(std::move(batch), [promise](const IngestOutcome& o) { promise->set_value(o); });
        batch = {};
        if (r != WriterLoop::Submit::queued) {
            aborted = true;
            pending.pop_back();
        }
    };
    readers_.with_reader([&](Reader& reader) {
        reader.read_file(file, [&](ParsedItem&& item) {
            if (!item.article) {
                ++rejected;
                const auto dl = ctx_.dead_letter().write(item.where, item.id, item.article.error());
                log->warn("inbox: rejected {}{}: {} ({})", item.where.to_string(),
                          item.id.empty() ? "" : fmt::format(" id={}", item.id), item.article.error().message,
                          dl.filename().string());
                return;
            }
            ArchiveRecord r;
            r.op = ArchiveRecord::Op::upsert;
            r.id = item.article->id;
            r.article = std::move(*item.article);
            batch.push_back(std::move(r));
            if (batch.size() >= batch_size) {
                flush();
            }
        });
    });
    flush();
    metrics_.add_rejected(rejected);
    bool durable = !aborted;
    for (auto& f : pending) {
        const auto outcome = f.get();
        if (!outcome.ok) {
            durable = false;
            log->error("inbox: {} not acknowledged: {}", file.string(), outcome.error);
        }
    }
    if (!durable) {
        return false; // stays in the inbox; retried on the next poll or after restart
    }
    const fs::path done_dir = ctx_.data_dir().inbox_done_dir();
    fs::create_directories(done_dir);
    const fs::path target = done_target(done_dir, file);
    fs::rename(file, target);
    fsync_dir(done_dir);
    fsync_dir(file.parent_path());
    log->info("inbox: {} -> done/ ({} accepted, {} rejected)", file.filename().string(), accepted, rejected);
    return true;
}

} // namespace gazette::indexer::serve
