#pragma once
/// On-disk handling of generations while jobs build them: a private build folder next to the
/// generations (generations/<gen>.build, invisible to list_generations), durable installation
/// under the final name, file copies, and the gazette.* metadata every generation carries.
///
/// A generation only appears under its final name once complete and fsynced, so a crash or a
/// cancel can never leave a half-built generation that `rollback` could activate.

#include "common/data_dir.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace gazette::indexer {

/// generations/<gen>.build: scratch space of a job building `gen`.
std::filesystem::path build_dir(const DataDir& dd, const std::string& gen);

/// Removes leftover *.build folders of earlier jobs that crashed. Call only while holding the
/// writer lock (no job of this process is running). Returns how many were removed.
std::size_t remove_stale_build_dirs(const DataDir& dd);

/// A generation a job is building: on construction removes stale build folders and allocates
/// the next name; knows its build folder and its final path; discard() removes both unless
/// mark_published() was called (never remove what is live). Only while holding the writer lock.
class GenerationBuild {
public:
    explicit GenerationBuild(const DataDir& dd);
    const std::string& name() const noexcept { return name_; }
    const std::filesystem::path& work() const noexcept { return work_; }
    const std::filesystem::path& target() const noexcept { return target_; }
    void mark_published() noexcept { published_ = true; }
    /// Removes the build folder and the installed generation, errors ignored. Idempotent.
    void discard() noexcept;

private:
    std::string name_;
    std::filesystem::path work_;
    std::filesystem::path target_;
    bool published_ = false;
};

/// fsyncs every regular file directly inside `dir`, then `dir` itself. Throws std::system_error.
void fsync_tree(const std::filesystem::path& dir);

/// Copies the files of the Xapian database in `from` into the new folder `to` (created; must
/// not exist), skipping the lock file, and fsyncs them. The caller guarantees that nobody
/// commits to `from` meanwhile. Throws std::filesystem_error.
void copy_database_files(const std::filesystem::path& from, const std::filesystem::path& to);

/// Moves the complete database `built` to generations/<gen> and makes that durable (fsync of
/// the files, rename, fsync of generations/). Throws std::system_error.
void install_generation(const DataDir& dd, const std::filesystem::path& built, const std::string& gen);

/// Writes the metadata of a freshly built database: schema version, creation and update time,
/// and the archive sequence number its contents reflect. Commits. Throws Xapian::Error.
void stamp_generation(const std::filesystem::path& db_path, std::uint64_t archive_seq);

} // namespace gazette::indexer
