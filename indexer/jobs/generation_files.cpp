#include "indexer/jobs/generation_files.hpp"

#include "common/dates.hpp"
#include "common/schema.hpp"
#include "indexer/writer.hpp"

#include <xapian.h>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace gazette::indexer {

namespace {

void fsync_file(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), fmt::format("cannot open '{}'", file.string()));
    }
    const int rc = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    if (rc != 0) {
        throw std::system_error(saved, std::generic_category(), fmt::format("cannot fsync '{}'", file.string()));
    }
}

constexpr std::string_view kBuildSuffix = ".build";

} // namespace

fs::path build_dir(const DataDir& dd, const std::string& gen) {
    return dd.generations_dir() / (gen + std::string(kBuildSuffix));
}

std::size_t remove_stale_build_dirs(const DataDir& dd) {
    std::vector<fs::path> stale;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dd.generations_dir(), ec)) {
        if (e.is_directory(ec) && e.path().filename().string().ends_with(kBuildSuffix)) {
            stale.push_back(e.path());
        }
    }
    for (const auto& p : stale) {
        fs::remove_all(p);
    }
    return stale.size();
}

void fsync_tree(const fs::path& dir) {
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_regular_file()) {
            fsync_file(e.path());
        }
    }
    fsync_dir(dir);
}

void copy_database_files(const fs::path& from, const fs::path& to) {
    fs::create_directories(to.parent_path());
    if (!fs::create_directory(to)) {
        throw fs::filesystem_error("copy target exists", to, std::make_error_code(std::errc::file_exists));
    }
    for (const auto& e : fs::directory_iterator(from)) {
        // flintlock is the writer's lock file: a copy must not inherit it, Xapian creates it.
        if (e.is_regular_file() && e.path().filename() != "flintlock") {
            fs::copy_file(e.path(), to / e.path().filename());
        }
    }
    fsync_tree(to);
}

void install_generation(const DataDir& dd, const fs::path& built, const std::string& gen) {
    fsync_tree(built);
    const fs::path target = dd.generation_path(gen);
    fs::rename(built, target);
    fsync_dir(dd.generations_dir());
}

void stamp_generation(const fs::path& db_path, std::uint64_t archive_seq) {
    Xapian::WritableDatabase db(db_path.string(), Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    const std::string now = dates::now_iso8601();
    db.set_metadata(std::string(schema::kMetaSchemaVersion), std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::kMetaCreated), now);
    db.set_metadata(std::string(schema::kMetaLastUpdate), now);
    db.set_metadata(std::string(kMetaArchiveSeq), std::to_string(archive_seq));
    db.commit();
}

GenerationBuild::GenerationBuild(const DataDir& dd) {
    remove_stale_build_dirs(dd);
    name_ = dd.allocate_generation();
    work_ = build_dir(dd, name_);
    target_ = dd.generation_path(name_);
}

void GenerationBuild::discard() noexcept {
    if (published_) {
        return;
    }
    std::error_code ec;
    std::filesystem::remove_all(work_, ec);
    std::filesystem::remove_all(target_, ec);
}

} // namespace gazette::indexer
