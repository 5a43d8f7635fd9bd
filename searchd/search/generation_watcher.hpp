#pragma once
/// Watches the data directory's live.stub and publishes which generation is live.
///
/// A thread polls the stub (a few bytes) every `poll_interval`; when its content changes it
/// resolves the generation name and bumps an atomic sequence number. Workers compare the
/// sequence with the one they opened: equal -> Database::reopen() (cheap), different ->
/// open the new generation. Thread-safety: every public method may be called from any thread.

#include "common/data_dir.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace gazette::searchd {

class GenerationWatcher {
public:
    GenerationWatcher(DataDir data_dir, std::chrono::milliseconds poll_interval);
    ~GenerationWatcher();
    GenerationWatcher(const GenerationWatcher&) = delete;
    GenerationWatcher& operator=(const GenerationWatcher&) = delete;

    /// Called on the polling thread after it saw the live generation change (not for the
    /// first poll inside start()). Set before start(); used to warm caches for the new
    /// generation before the first request needs them.
    void set_on_change(std::function<void()> on_change) { on_change_ = std::move(on_change); }

    /// Polls once synchronously, then starts the polling thread.
    void start();
    /// Stops and joins the polling thread (idempotent).
    void stop();
    /// Re-reads live.stub now; returns true when the live generation changed.
    /// Never throws (I/O errors keep the previous state and are logged).
    bool poll_once();

    /// Bumped every time the live generation changes; 0 = none seen yet.
    std::uint64_t sequence() const noexcept { return sequence_.load(std::memory_order_acquire); }
    /// The live generation name, or nullopt when none was published yet.
    std::optional<std::string> live() const;
    /// Whether a live generation exists.
    bool ready() const noexcept { return sequence() != 0; }

    const DataDir& data_dir() const noexcept { return data_dir_; }

private:
    void run();

    DataDir data_dir_;
    std::chrono::milliseconds poll_interval_;
    std::atomic<std::uint64_t> sequence_{0};
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::string live_;
    std::string last_stub_;
    bool stopping_ = false;
    std::function<void()> on_change_;
    std::thread thread_;
};

} // namespace gazette::searchd
