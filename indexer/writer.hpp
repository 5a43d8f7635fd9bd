#pragma once
/// The one writer of a generation's Xapian database.
///
/// Every batch is a flushed Xapian transaction, so Xapian's automatic flush can never split
/// an upsert (SPEC "Generations"), and the archive sequence number reached is committed in
/// the same transaction as the documents (metadata gazette.archive_seq): after a crash the
/// daemon replays exactly the records after it.
///
/// Thread-safety: not thread-safe; owned by the single writer thread.

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace gazette::indexer {

inline constexpr std::string_view kMetaArchiveSeq = "gazette.archive_seq";

class IndexWriter {
public:
    /// Opens (creating when `create`) the database at `path`. Throws Xapian::Error.
    IndexWriter(const std::filesystem::path& path, bool create);
    ~IndexWriter();
    IndexWriter(const IndexWriter&) = delete;
    IndexWriter& operator=(const IndexWriter&) = delete;

    /// Starts a batch (a flushed transaction). Idempotent while a batch is open.
    void begin();
    /// Replaces any document with the same id (unique term Q<id>), or adds it.
    void upsert(const std::string& id, const Xapian::Document& doc);
    /// Deletes the document with this id, if any.
    void remove(const std::string& id);
    /// Commits the open batch, recording `archive_seq` (when > 0) and the update time.
    void commit(std::uint64_t archive_seq = 0);
    /// Abandons the open batch.
    void cancel();

    /// Archive sequence number committed so far (0 when none).
    std::uint64_t committed_seq() const;
    Xapian::doccount doc_count() const;
    Xapian::WritableDatabase& database() noexcept { return db_; }

private:
    Xapian::WritableDatabase db_;
    bool in_batch_ = false;
    std::size_t pending_ = 0;
};

} // namespace gazette::indexer
