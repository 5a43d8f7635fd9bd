#include "indexer/dead_letter.hpp"

#include "common/data_dir.hpp"
#include "common/dates.hpp"
#include "common/text.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <chrono>
#include <unistd.h>

namespace gazette::indexer {

DeadLetter::DeadLetter(std::filesystem::path dir) : dir_(std::move(dir)) { std::filesystem::create_directories(dir_); }

std::filesystem::path DeadLetter::write(const SourceLocation& where, std::string_view id, const Error& error,
                                        std::string_view raw) {
    boost::json::object o;
    o["file"] = where.file;
    o["line"] = where.line;
    o["id"] = text::sanitize_utf8(id);
    o["code"] = error_code_name(error.code);
    o["message"] = text::sanitize_utf8(error.message);
    if (!error.location.empty()) {
        o["field"] = error.location;
    }
    o["time"] = dates::now_iso8601();
    if (!raw.empty()) {
        o["input"] = text::sanitize_utf8(text::truncate_utf8(raw, 4096));
    }
    const auto stamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    const auto path = dir_ / fmt::format("{}-{}-{}.error.json", stamp, ::getpid(), counter_.fetch_add(1));
    write_file_atomic(path, boost::json::serialize(o) + "\n");
    return path;
}

} // namespace gazette::indexer
