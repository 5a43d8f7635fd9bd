#include "indexer/readers/reader.hpp"

#include "indexer/readers/article_ids.hpp"
#include "indexer/readers/html_reader.hpp"
#include "indexer/readers/text_reader.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace gazette::indexer {

namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

BoilerplateFilter compile_rules(const ReaderOptions& options) {
    std::vector<BoilerplateRule> rules;
    if (options.default_boilerplate) {
        rules = default_boilerplate_rules();
    }
    for (const auto& p : options.extra_patterns) {
        rules.push_back({p, BoilerplateAction::drop_line});
    }
    for (const auto& p : options.extra_cut_patterns) {
        rules.push_back({p, BoilerplateAction::cut_rest});
    }
    auto filter = BoilerplateFilter::compile(rules);
    if (!filter) {
        throw ErrorException(filter.error());
    }
    return std::move(*filter);
}

void emit_error(const ItemSink& sink, std::string_view origin, Error error) {
    sink(ParsedItem{Result<Article>(std::move(error)), SourceLocation{std::string(origin), 0}, {}});
}

} // namespace

const char* input_format_name(InputFormat format) noexcept {
    switch (format) {
    case InputFormat::jsonl: return "jsonl";
    case InputFormat::json: return "json";
    case InputFormat::html: return "html";
    case InputFormat::text: return "text";
    }
    return "unknown";
}

std::optional<InputFormat> format_from_path(const std::filesystem::path& path) {
    const std::string ext = lower_ascii(path.extension().string());
    if (ext == ".jsonl" || ext == ".ndjson") {
        return InputFormat::jsonl;
    }
    if (ext == ".json") {
        return InputFormat::json;
    }
    if (ext == ".html" || ext == ".htm") {
        return InputFormat::html;
    }
    if (ext == ".txt" || ext == ".text" || ext == ".md") {
        return InputFormat::text;
    }
    return std::nullopt;
}

std::optional<InputFormat> format_from_content_type(std::string_view content_type) {
    std::string type = lower_ascii(content_type.substr(0, content_type.find(';')));
    const auto first = type.find_first_not_of(" \t");
    const auto last = type.find_last_not_of(" \t");
    type = first == std::string::npos ? std::string() : type.substr(first, last - first + 1);
    if (type == "application/json") {
        return InputFormat::json;
    }
    if (type == "application/x-ndjson" || type == "application/ndjson" ||
        type == "application/jsonl" || type == "application/x-jsonlines" ||
        type == "application/jsonlines") {
        return InputFormat::jsonl;
    }
    if (type == "text/html" || type == "application/xhtml+xml") {
        return InputFormat::html;
    }
    if (type == "text/plain" || type == "text/markdown") {
        return InputFormat::text;
    }
    return std::nullopt;
}

Reader::Reader(ReaderOptions options)
    : options_(std::move(options)), boilerplate_(compile_rules(options_)), json_(options_) {}

void Reader::read_buffer(std::string_view data,
                         InputFormat format,
                         std::string_view origin,
                         const ItemSink& sink,
                         std::string_view fallback_id) {
    switch (format) {
    case InputFormat::jsonl: json_.read_lines(data, origin, sink); return;
    case InputFormat::json: json_.read_document(data, origin, sink); return;
    case InputFormat::html:
    case InputFormat::text: {
        if (data.size() > options_.max_article_bytes) {
            emit_error(sink,
                       origin,
                       Error(ErrorCode::too_large,
                             fmt::format("article is {} bytes; the limit is {} bytes",
                                         data.size(),
                                         options_.max_article_bytes)));
            return;
        }
        Result<Article> result =
            format == InputFormat::html
                ? read_html(data, fallback_id, options_.max_html_depth)
                : read_scraped_text(
                      data, boilerplate_, fallback_id, options_.max_derived_title_chars);
        std::string id = result ? result->id : std::string(fallback_id);
        sink(ParsedItem{std::move(result), SourceLocation{std::string(origin), 1}, std::move(id)});
        return;
    }
    }
}

void Reader::read_file(const std::filesystem::path& path, const ItemSink& sink) {
    const std::string origin = path.string();
    const auto format = format_from_path(path);
    if (!format) {
        emit_error(
            sink,
            origin,
            Error(ErrorCode::unsupported,
                  fmt::format(
                      "unsupported file type '{}' (expected .jsonl, .ndjson, .json, .html, .htm, "
                      ".txt, .text or .md)",
                      path.extension().string())));
        return;
    }
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        emit_error(sink, origin, Error(ErrorCode::not_found, "file does not exist"));
        return;
    }
    if (!std::filesystem::is_regular_file(status)) {
        emit_error(sink, origin, Error(ErrorCode::unsupported, "not a regular file"));
        return;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        emit_error(
            sink,
            origin,
            Error(ErrorCode::internal, fmt::format("cannot open file: {}", std::strerror(errno))));
        return;
    }
    if (*format == InputFormat::jsonl) {
        json_.read_lines(in, origin, sink);
        return;
    }
    const auto size = std::filesystem::file_size(path, ec);
    const std::size_t limit =
        *format == InputFormat::json ? options_.max_document_bytes : options_.max_article_bytes;
    if (!ec && size > limit) {
        emit_error(sink,
                   origin,
                   Error(ErrorCode::too_large,
                         fmt::format("file is {} bytes; the limit is {} bytes", size, limit)));
        return;
    }
    // Read one byte past the limit, so a file that grew since file_size() is still caught.
    std::string data;
    data.resize(static_cast<std::size_t>(ec ? limit : size) + 1);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    if (in.bad()) {
        emit_error(sink, origin, Error(ErrorCode::internal, "read error"));
        return;
    }
    data.resize(static_cast<std::size_t>(in.gcount()));
    if (data.size() > limit) {
        emit_error(
            sink, origin, Error(ErrorCode::too_large, fmt::format("file is over {} bytes", limit)));
        return;
    }
    if (!ec && data.size() > size) {
        // The file grew while we read it; what we have may end mid-record.
        emit_error(
            sink, origin, Error(ErrorCode::conflict, "file changed while it was being read"));
        return;
    }
    read_buffer(data, *format, origin, sink, id_from_file_stem(path));
}

void read_file(const std::filesystem::path& path,
               const ReaderOptions& options,
               const ItemSink& sink) {
    Reader(options).read_file(path, sink);
}

void read_buffer(std::string_view data,
                 InputFormat format,
                 std::string_view origin,
                 const ReaderOptions& options,
                 const ItemSink& sink) {
    Reader(options).read_buffer(data, format, origin, sink);
}

} // namespace gazette::indexer
