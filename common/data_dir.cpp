#include "common/data_dir.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gazette {

namespace {

[[noreturn]] void throw_errno(std::string_view what, const fs::path& path) {
    throw std::system_error(errno, std::generic_category(), fmt::format("{} '{}'", what, path.string()));
}

void write_all(int fd, std::string_view data, const fs::path& path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("cannot write", path);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

constexpr std::string_view kStubBackend = "glass";

} // namespace

std::string generation_name(unsigned long number) { return fmt::format("g{:06d}", number); }

std::optional<unsigned long> generation_number(std::string_view name) {
    if (name.size() < 2 || name[0] != 'g') {
        return std::nullopt;
    }
    unsigned long n = 0;
    for (char c : name.substr(1)) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        n = n * 10 + static_cast<unsigned long>(c - '0');
    }
    return n;
}

void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        throw_errno("cannot open directory", dir);
    }
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) {
        throw_errno("cannot fsync directory", dir);
    }
}

void write_file_atomic(const fs::path& path, std::string_view contents) {
    // A unique temp name per call: two threads saving the same file at once must not share
    // (and so rename away) each other's temp file.
    static std::atomic<unsigned long> counter{0};
    const fs::path tmp = path.string() + fmt::format(".tmp{}-{}", ::getpid(), counter.fetch_add(1));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw_errno("cannot create", tmp);
    }
    try {
        write_all(fd, contents, tmp);
        if (::fsync(fd) != 0) {
            throw_errno("cannot fsync", tmp);
        }
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        throw_errno("cannot rename into", path);
    }
    fsync_dir(path.has_parent_path() ? path.parent_path() : fs::path("."));
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(fmt::format("cannot read '{}': {}", path.string(), std::strerror(errno)));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

DataDir::DataDir(fs::path root) : root_(std::move(root)) {}

void DataDir::create_layout() const {
    for (const auto& dir : {root_, archive_dir(), generations_dir(), inbox_dir(), inbox_done_dir(),
                            deadletter_dir(), jobs_dir()}) {
        fs::create_directories(dir);
    }
}

std::optional<std::string> DataDir::live_generation() const {
    std::error_code ec;
    if (!fs::exists(live_stub(), ec)) {
        return std::nullopt;
    }
    // The stub holds one line: "glass generations/g000007".
    const std::string stub = read_file(live_stub());
    const auto slash = stub.rfind('/');
    if (slash == std::string::npos) {
        return std::nullopt;
    }
    std::string gen = stub.substr(slash + 1);
    while (!gen.empty() && (gen.back() == '\n' || gen.back() == '\r' || gen.back() == ' ')) {
        gen.pop_back();
    }
    if (!generation_number(gen)) {
        return std::nullopt;
    }
    return gen;
}

void DataDir::publish_live(const std::string& gen) const {
    if (!fs::exists(generation_path(gen))) {
        throw std::runtime_error(fmt::format("cannot publish generation '{}': {} does not exist", gen,
                                             generation_path(gen).string()));
    }
    // Relative paths in a stub are resolved against the stub's folder, so the data directory
    // can be moved or mounted elsewhere.
    write_file_atomic(live_stub(), fmt::format("{} generations/{}\n", kStubBackend, gen));
}

std::vector<std::string> DataDir::list_generations() const {
    std::vector<std::pair<unsigned long, std::string>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(generations_dir(), ec)) {
        if (!entry.is_directory()) {
            continue;
        }
        const auto name = entry.path().filename().string();
        if (auto n = generation_number(name)) {
            found.emplace_back(*n, name);
        }
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> names;
    names.reserve(found.size());
    for (auto& [n, name] : found) {
        names.push_back(std::move(name));
    }
    return names;
}

std::string DataDir::allocate_generation() const {
    // NEXT records the next number; it only ever grows, so names are never reused even after
    // old generations are deleted.
    const fs::path next_file = generations_dir() / "NEXT";
    unsigned long next = 1;
    std::error_code ec;
    if (fs::exists(next_file, ec)) {
        next = std::stoul(read_file(next_file));
    }
    for (const auto& name : list_generations()) {
        next = std::max(next, *generation_number(name) + 1);
    }
    write_file_atomic(next_file, fmt::format("{}\n", next + 1));
    return generation_name(next);
}

} // namespace gazette
