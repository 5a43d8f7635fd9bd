#pragma once
/// Watches DATA_DIR/inbox: every `inbox_poll_ms`, each regular file there (names starting with
/// '.' or ending in .tmp/.part are skipped: writers should write elsewhere or under such a
/// name and then rename) is read, its valid articles go through the same durable path as
/// POST /articles, and its rejected articles go to the dead-letter folder (one error file
/// each). Once every valid article of the file is durable, the file is moved to inbox/done/:
/// that move is the acknowledgement. A crash before the move re-ingests the file on restart,
/// which is harmless because upserts are idempotent.
///
/// Thread-safety: owns one thread; start()/stop() from the owner.

#include "indexer/serve/article_intake.hpp"
#include "indexer/serve/writer_loop.hpp"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

namespace gazette::indexer::serve {

class ServeMetrics;

class InboxWatcher {
public:
    InboxWatcher(WriterContext& ctx, WriterLoop& writer, ServeMetrics& metrics, ReaderPool& readers);
    ~InboxWatcher();
    InboxWatcher(const InboxWatcher&) = delete;
    InboxWatcher& operator=(const InboxWatcher&) = delete;

    void start();
    /// Stops after the current file (which stays in the inbox if it was not fully durable).
    void stop();

    /// Processes every file present now; returns how many were moved to done/. Used by the
    /// thread and by tests.
    std::size_t poll_once();

private:
    void run();
    bool process_file(const std::filesystem::path& file);

    WriterContext& ctx_;
    WriterLoop& writer_;
    ServeMetrics& metrics_;
    ReaderPool& readers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

/// Whether the inbox should pick up a file of this name.
bool inbox_accepts(const std::string& filename);

} // namespace gazette::indexer::serve
