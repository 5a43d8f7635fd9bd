#include "indexer/progress.hpp"

#include <fmt/format.h>

#include <unistd.h>

namespace gazette::indexer {

namespace {
std::string format_duration(double s) {
    if (s < 0) {
        return "?";
    }
    const auto total = static_cast<long>(s + 0.5);
    if (total >= 3600) {
        return fmt::format("{}h{:02d}m", total / 3600, (total % 3600) / 60);
    }
    if (total >= 60) {
        return fmt::format("{}m{:02d}s", total / 60, total % 60);
    }
    return fmt::format("{}s", total);
}
} // namespace

Progress::Progress(std::string label, std::uint64_t total, std::FILE* out)
    : label_(std::move(label)), total_(total), out_(out), tty_(out != nullptr && ::isatty(::fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()), last_render_(start_) {}

void Progress::set_total(std::uint64_t total) { total_.store(total); }

void Progress::advance(std::uint64_t n, std::uint64_t errors) {
    processed_.fetch_add(n);
    errors_.fetch_add(errors);
    if (out_ == nullptr) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    // A terminal is redrawn 10 times a second; logs get a line every 5 seconds.
    const auto interval = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    std::unique_lock lock(render_mutex_, std::try_to_lock);
    if (lock.owns_lock() && now - last_render_ >= interval) {
        last_render_ = now;
        render(false);
    }
}

ProgressSnapshot Progress::snapshot() const {
    ProgressSnapshot s;
    s.processed = processed_.load();
    s.total = total_.load();
    s.errors = errors_.load();
    s.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    s.rate = s.elapsed_s > 0 ? static_cast<double>(s.processed) / s.elapsed_s : 0;
    if (s.total > 0 && s.rate > 0 && s.processed <= s.total) {
        s.eta_s = static_cast<double>(s.total - s.processed) / s.rate;
    }
    return s;
}

void Progress::render(bool final) {
    const auto s = snapshot();
    std::string line;
    if (tty_ && s.total > 0) {
        constexpr int kWidth = 30;
        const double frac = std::min(1.0, static_cast<double>(s.processed) / static_cast<double>(s.total));
        const int filled = static_cast<int>(frac * kWidth);
        line = fmt::format("\r{} [{}{}] {:>3.0f}% {}/{} {:.0f}/s ETA {} errors {}", label_,
                           std::string(static_cast<std::size_t>(filled), '#'),
                           std::string(static_cast<std::size_t>(kWidth - filled), '.'), frac * 100, s.processed,
                           s.total, s.rate, final ? "0s" : format_duration(s.eta_s), s.errors);
    } else if (tty_) {
        line = fmt::format("\r{} {} {:.0f}/s errors {}", label_, s.processed, s.rate, s.errors);
    } else if (s.total > 0) {
        line = fmt::format("{}: {}/{} ({:.0f}%) {:.0f}/s ETA {} errors {}\n", label_, s.processed, s.total,
                           100.0 * static_cast<double>(s.processed) / static_cast<double>(s.total), s.rate,
                           format_duration(s.eta_s), s.errors);
    } else {
        line = fmt::format("{}: {} {:.0f}/s errors {}\n", label_, s.processed, s.rate, s.errors);
    }
    std::fputs(line.c_str(), out_);
    std::fflush(out_);
}

void Progress::finish() {
    if (out_ == nullptr) {
        return;
    }
    std::lock_guard lock(render_mutex_);
    render(true);
    if (tty_) {
        std::fputs("\n", out_);
    }
}

} // namespace gazette::indexer
