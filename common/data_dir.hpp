#pragma once
/// The data directory layout, and the live-generation pointer.
///
///   DIR/
///     archive/            source of truth: append-only NDJSON segments (upserts + deletes)
///       seg-000001.ndjson
///     generations/
///       g000001/          one Xapian (glass) database per generation; names never reused
///     live.stub           Xapian stub database naming the live generation ("glass generations/g000007")
///     inbox/              drop files here (serve); processed files go to inbox/done/
///     deadletter/         one <name>.error.json per rejected article
///     jobs/               job state files (<id>.json)
///     LOCK                taken by the one writer process (indexer)
///
/// The live pointer is replaced atomically (write temp, fsync, rename, fsync dir), so readers
/// see either the old or the new generation, never a mix.

#include "common/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gazette {

class DataDir {
public:
    explicit DataDir(std::filesystem::path root);

    const std::filesystem::path& root() const noexcept { return root_; }
    std::filesystem::path archive_dir() const { return root_ / "archive"; }
    std::filesystem::path generations_dir() const { return root_ / "generations"; }
    std::filesystem::path live_stub() const { return root_ / "live.stub"; }
    std::filesystem::path inbox_dir() const { return root_ / "inbox"; }
    std::filesystem::path inbox_done_dir() const { return root_ / "inbox" / "done"; }
    std::filesystem::path deadletter_dir() const { return root_ / "deadletter"; }
    std::filesystem::path jobs_dir() const { return root_ / "jobs"; }
    std::filesystem::path lock_file() const { return root_ / "LOCK"; }
    std::filesystem::path generation_path(const std::string& gen) const {
        return generations_dir() / gen;
    }

    /// Creates every folder of the layout when missing. Throws std::filesystem_error.
    void create_layout() const;

    /// The live generation's name ("g000007"), or nullopt when none was published yet.
    std::optional<std::string> live_generation() const;

    /// Atomically points live.stub at `gen` (which must exist). Durable on return.
    void publish_live(const std::string& gen) const;

    /// Existing generation names, oldest first.
    std::vector<std::string> list_generations() const;

    /// A fresh generation name, never used before in this directory (one above the highest
    /// ever allocated, recorded in generations/NEXT so deleted names are never reused).
    std::string allocate_generation() const;

private:
    std::filesystem::path root_;
};

/// Generation name for a number: 7 -> "g000007".
std::string generation_name(unsigned long number);
/// Number from a generation name, or nullopt when malformed.
std::optional<unsigned long> generation_number(std::string_view name);

/// Writes `contents` to `path` atomically and durably (temp file, fsync, rename, fsync dir).
void write_file_atomic(const std::filesystem::path& path, std::string_view contents);
/// fsyncs a directory (after a rename or create inside it).
void fsync_dir(const std::filesystem::path& dir);
/// Reads a whole file. Throws std::runtime_error naming the path on failure.
std::string read_file(const std::filesystem::path& path);

} // namespace gazette
