#pragma once
/// The article archive: the source of truth from which every generation can be rebuilt.
///
/// Append-only NDJSON segments in DIR/archive/ (seg-000001.ndjson, ...). Each line is one
/// record with a global, increasing sequence number:
///   {"seq":17,"op":"upsert","article":{...article_to_json...}}
///   {"seq":18,"op":"delete","id":"business/001"}
/// append() writes a batch and fsyncs before returning, so an acknowledged record survives
/// kill -9 and power loss. A torn last line (crash mid-write) is detected and ignored on read,
/// and truncated away before the next append.
///
/// Thread-safety: one Archive per writer process (the data-dir LOCK guarantees one writer);
/// append() is internally serialised, scan() may run concurrently with append().

#include "common/article.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace gazette::indexer {

struct ArchiveRecord {
    enum class Op { upsert, remove };
    std::uint64_t seq = 0;
    Op op = Op::upsert;
    std::string id;
    Article article; ///< valid for upserts
};

class Archive {
public:
    /// Opens (creating) the archive folder and finds the last sequence number.
    explicit Archive(std::filesystem::path dir, std::size_t segment_bytes = 256u << 20);

    /// Appends records durably; assigns and returns their sequence numbers in order.
    std::vector<std::uint64_t> append(std::vector<ArchiveRecord>& records);

    /// Calls `fn` for every record with seq > after_seq, in order. Malformed lines are
    /// reported through `on_error` (segment:line and reason) and skipped.
    void scan(std::uint64_t after_seq, const std::function<void(ArchiveRecord&&)>& fn,
              const std::function<void(const std::string&)>& on_error = {}) const;

    /// Latest state per id (last write wins; deleted ids absent), in sequence order of their
    /// last upsert. For reindex. `on_total`, when set, receives the number of records that
    /// will be emitted once the first pass has counted them (before the first `fn` call).
    void scan_latest(const std::function<void(ArchiveRecord&&)>& fn,
                     const std::function<void(std::size_t)>& on_total = {}) const;

    /// Ids whose latest record with seq <= `up_to` is an upsert (one pass; order unspecified).
    /// For verify and reindex's document-count check.
    std::vector<std::string> live_ids(std::uint64_t up_to = UINT64_MAX) const;

    std::uint64_t last_seq() const;
    std::uint64_t size_bytes() const;

private:
    std::vector<std::filesystem::path> segments() const;
    void open_tail();
    std::uint64_t read_last_seq() const;
    /// Like scan, but decodes only seq, op and id of each record (cheap; for counting passes).
    void scan_keys(const std::function<void(std::uint64_t, bool, std::string&&)>& fn) const;

    std::filesystem::path dir_;
    std::size_t segment_bytes_;
    mutable std::mutex mutex_;
    std::uint64_t last_seq_ = 0;
    int fd_ = -1;
    std::filesystem::path tail_path_;
    std::uint64_t tail_size_ = 0;
    unsigned tail_number_ = 0;
};

} // namespace gazette::indexer
