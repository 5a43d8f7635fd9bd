#include "indexer/readers/jsonl_reader.hpp"

#include "common/text.hpp"
#include "indexer/readers/html_reader.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

namespace gazette::indexer {

namespace ondemand = simdjson::ondemand;

namespace {

/// Lines are read from streams in chunks of this size.
constexpr std::size_t chunk_bytes = std::size_t{64} << 10;

const char* json_type_name(ondemand::json_type t) noexcept {
    switch (t) {
    case ondemand::json_type::array: return "list";
    case ondemand::json_type::object: return "object";
    case ondemand::json_type::number: return "number";
    case ondemand::json_type::string: return "string";
    case ondemand::json_type::boolean: return "boolean";
    case ondemand::json_type::null: return "null";
    }
    return "value";
}

Error malformed(simdjson::error_code e) {
    return Error(ErrorCode::bad_json,
                 fmt::format("malformed JSON: {}", simdjson::error_message(e)));
}

bool is_blank(std::string_view s) noexcept {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

/// Checks nesting depth and that nothing but whitespace follows the top-level value, which
/// simdjson On-Demand does not verify by itself. Malformed structure is left to simdjson.
Result<void> check_structure(std::string_view s, std::size_t max_depth) {
    std::size_t i = s.find_first_not_of(" \t\r\n");
    if (i == std::string_view::npos || (s[i] != '{' && s[i] != '[')) {
        return {};
    }
    std::size_t depth = 0;
    bool in_string = false;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth) {
                return Error(ErrorCode::bad_json,
                             fmt::format("JSON nested deeper than {} levels (at byte offset {})",
                                         max_depth,
                                         i));
            }
        } else if (c == '}' || c == ']') {
            if (depth == 0 || --depth == 0) {
                ++i;
                break;
            }
        }
    }
    if (depth != 0) {
        return {}; // unterminated: simdjson reports it
    }
    const std::size_t rest = s.find_first_not_of(" \t\r\n", i);
    if (rest != std::string_view::npos) {
        return Error(
            ErrorCode::bad_json,
            fmt::format("unexpected content after the JSON value at byte offset {}", rest));
    }
    return {};
}

Error wrong_type(std::string_view field, std::string_view expected, ondemand::json_type got) {
    return Error(
        ErrorCode::bad_article,
        fmt::format("field '{}' must be {}, not a {}", field, expected, json_type_name(got)),
        std::string(field));
}

/// An optional string field: nullopt for null. bad_json for broken JSON, bad_article for a
/// wrong type.
Result<std::optional<std::string>> read_string(ondemand::value& v, std::string_view field) {
    ondemand::json_type t{};
    if (auto e = v.type().get(t); e) {
        return malformed(e);
    }
    if (t == ondemand::json_type::null) {
        bool is_null = false;
        if (auto e = v.is_null().get(is_null); e || !is_null) {
            return malformed(e ? e : simdjson::N_ATOM_ERROR);
        }
        return std::optional<std::string>();
    }
    if (t != ondemand::json_type::string) {
        return wrong_type(field, "a string", t);
    }
    std::string_view s;
    if (auto e = v.get_string().get(s); e) {
        return malformed(e);
    }
    return std::optional<std::string>(std::string(s));
}

/// A list of strings (or, when `allow_single`, one string); null is an empty list.
Result<std::vector<std::string>>
read_string_list(ondemand::value& v, std::string_view field, bool allow_single) {
    ondemand::json_type t{};
    if (auto e = v.type().get(t); e) {
        return malformed(e);
    }
    const std::string_view expected =
        allow_single ? "a string or a list of strings" : "a list of strings";
    std::vector<std::string> out;
    if (t == ondemand::json_type::string || t == ondemand::json_type::null) {
        if (t == ondemand::json_type::string && !allow_single) {
            return wrong_type(field, expected, t);
        }
        auto one = read_string(v, field);
        if (!one) {
            return one.error();
        }
        if (one->has_value()) {
            out.push_back(std::move(**one));
        }
        return out;
    }
    if (t != ondemand::json_type::array) {
        return wrong_type(field, expected, t);
    }
    ondemand::array arr;
    if (auto e = v.get_array().get(arr); e) {
        return malformed(e);
    }
    for (auto element : arr) {
        ondemand::value item;
        if (auto e = std::move(element).get(item); e) {
            return malformed(e);
        }
        ondemand::json_type it{};
        if (auto e = item.type().get(it); e) {
            return malformed(e);
        }
        if (it != ondemand::json_type::string) {
            return Error(ErrorCode::bad_article,
                         fmt::format("field '{}' must be {}, but an element is a {}",
                                     field,
                                     expected,
                                     json_type_name(it)),
                         std::string(field));
        }
        std::string_view s;
        if (auto e = item.get_string().get(s); e) {
            return malformed(e);
        }
        out.emplace_back(s);
    }
    return out;
}

/// Builds an article from one JSON object. `id_out` receives the id as soon as it is read,
/// so that errors can name the record.
Result<Article> parse_article(ondemand::object& obj, std::string& id_out) {
    Article a;
    std::optional<Error> first_error;
    bool has_id = false;
    bool has_body = false;
    std::optional<std::string> html;
    std::optional<std::string> date;

    auto keep_first = [&](Error e) {
        if (!first_error) {
            first_error = std::move(e);
        }
    };
    // Sets `target` from a string field; false on broken JSON (iteration must stop).
    auto string_field =
        [&](ondemand::value& v, std::string_view key, std::string& target, bool* present) {
            auto r = read_string(v, key);
            if (!r) {
                const bool hard = r.error().code == ErrorCode::bad_json;
                keep_first(std::move(r.error()));
                return !hard;
            }
            if (r->has_value()) {
                target = std::move(**r);
                if (present != nullptr) {
                    *present = true;
                }
            }
            return true;
        };
    auto list_field = [&](ondemand::value& v,
                          std::string_view key,
                          std::vector<std::string>& target,
                          bool single) {
        auto r = read_string_list(v, key, single);
        if (!r) {
            const bool hard = r.error().code == ErrorCode::bad_json;
            keep_first(std::move(r.error()));
            return !hard;
        }
        target = std::move(*r);
        return true;
    };

    for (auto field_result : obj) {
        ondemand::field field;
        if (auto e = std::move(field_result).get(field); e) {
            return malformed(e);
        }
        std::string_view key;
        if (auto e = field.unescaped_key().get(key); e) {
            return malformed(e);
        }
        ondemand::value v = field.value();
        bool ok = true;
        if (key == "id") {
            ok = string_field(v, key, a.id, &has_id);
            if (has_id) {
                id_out = a.id;
            }
        } else if (key == "title") {
            ok = string_field(v, key, a.title, nullptr);
        } else if (key == "body") {
            ok = string_field(v, key, a.body, &has_body);
        } else if (key == "html") {
            std::string page;
            bool present = false;
            ok = string_field(v, key, page, &present);
            if (present) {
                html = std::move(page);
            }
        } else if (key == "url") {
            ok = string_field(v, key, a.url, nullptr);
        } else if (key == "source") {
            ok = string_field(v, key, a.source, nullptr);
        } else if (key == "lang") {
            ok = string_field(v, key, a.lang, nullptr);
        } else if (key == "date") {
            std::string d;
            bool present = false;
            ok = string_field(v, key, d, &present);
            if (present) {
                date = std::move(d);
            }
        } else if (key == "author") {
            ok = list_field(v, key, a.authors, true);
        } else if (key == "topics") {
            ok = list_field(v, key, a.editor_topics, false);
        } else if (key == "tags") {
            ok = list_field(v, key, a.tags, false);
        }
        // Unknown fields are skipped by the iterator.
        if (!ok) {
            break;
        }
    }
    if (first_error) {
        return *first_error;
    }
    if (!has_id) {
        return Error(ErrorCode::bad_article, "field 'id' is required", "id");
    }
    if (!has_body && !html) {
        return Error(
            ErrorCode::bad_article, "field 'body' is required (or 'html' with the page)", "body");
    }
    if (html) {
        auto extracted = extract_html_article(*html);
        if (!extracted) {
            Error e = extracted.error();
            e.message = "field 'html': " + e.message;
            e.location = "html";
            return e;
        }
        Article page = std::move(*extracted);
        // Fields given in the JSON win over what the page says.
        auto fill = [](std::string& field, std::string& from) {
            if (field.empty()) {
                field = std::move(from);
            }
        };
        fill(a.title, page.title);
        if (!has_body) {
            a.body = std::move(page.body);
            a.headings = std::move(page.headings);
        }
        fill(a.url, page.url);
        fill(a.source, page.source);
        fill(a.lang, page.lang);
        if (a.authors.empty()) {
            a.authors = std::move(page.authors);
        }
        if (!date) {
            a.date = std::move(page.date);
        }
    }
    if (date) {
        a.date = std::move(*date); // normalise_article() parses and rewrites it as YYYY-MM-DD
    }
    if (auto r = normalise_article(a); !r) {
        return r.error();
    }
    return a;
}

} // namespace

struct JsonArticleReader::Impl {
    explicit Impl(const ReaderOptions& o)
        : max_article_bytes(o.max_article_bytes), max_document_bytes(o.max_document_bytes),
          max_depth(o.max_json_depth) {}

    /// Copies `json` into the reused buffer with simdjson's padding after it.
    simdjson::padded_string_view pad(std::string_view json) {
        if (buffer.capacity() < json.size() + simdjson::SIMDJSON_PADDING) {
            buffer.reserve(json.size() + simdjson::SIMDJSON_PADDING);
        }
        buffer.assign(json);
        return simdjson::padded_string_view(buffer.data(), buffer.size(), buffer.capacity());
    }

    void emit(Result<Article> result,
              std::string_view origin,
              long line,
              std::string id,
              const ItemSink& sink) {
        sink(ParsedItem{
            std::move(result), SourceLocation{std::string(origin), line}, std::move(id)});
    }

    void
    parse_line(std::string_view line, std::string_view origin, long line_no, const ItemSink& sink) {
        if (const auto bad = text::first_invalid_utf8(line); bad != std::string_view::npos) {
            emit(Error(ErrorCode::bad_utf8,
                       fmt::format("invalid UTF-8 at byte offset {} of the line", bad)),
                 origin,
                 line_no,
                 {},
                 sink);
            return;
        }
        if (auto r = check_structure(line, max_depth); !r) {
            emit(r.error(), origin, line_no, {}, sink);
            return;
        }
        std::string id;
        auto doc_result = parser.iterate(pad(line));
        ondemand::document doc;
        if (auto e = std::move(doc_result).get(doc); e) {
            emit(malformed(e), origin, line_no, {}, sink);
            return;
        }
        ondemand::object obj;
        if (auto e = doc.get_object().get(obj); e) {
            emit(e == simdjson::INCORRECT_TYPE
                     ? Error(ErrorCode::bad_article, "a line must hold one JSON object")
                     : malformed(e),
                 origin,
                 line_no,
                 {},
                 sink);
            return;
        }
        auto result = parse_article(obj, id);
        emit(std::move(result), origin, line_no, std::move(id), sink);
    }

    /// `line` may end in '\r'; `overflow_bytes` > 0 when the line was too long to keep.
    void handle_line(std::string_view line,
                     std::size_t overflow_bytes,
                     std::string_view origin,
                     long line_no,
                     const ItemSink& sink) {
        if (overflow_bytes > 0) {
            emit(Error(ErrorCode::too_large,
                       fmt::format("line is {} bytes; the limit is {} bytes",
                                   overflow_bytes,
                                   max_article_bytes)),
                 origin,
                 line_no,
                 {},
                 sink);
            return;
        }
        if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) {
            line.remove_prefix(3); // UTF-8 byte order mark
        }
        if (is_blank(line)) {
            return;
        }
        parse_line(line, origin, line_no, sink);
    }

    ondemand::parser parser;
    std::string buffer;
    std::size_t max_article_bytes;
    std::size_t max_document_bytes;
    std::size_t max_depth;
};

JsonArticleReader::JsonArticleReader(const ReaderOptions& options)
    : impl_(std::make_unique<Impl>(options)) {}
JsonArticleReader::~JsonArticleReader() = default;
JsonArticleReader::JsonArticleReader(JsonArticleReader&&) noexcept = default;
JsonArticleReader& JsonArticleReader::operator=(JsonArticleReader&&) noexcept = default;

void JsonArticleReader::read_lines(std::istream& in,
                                   std::string_view origin,
                                   const ItemSink& sink) {
    std::vector<char> chunk(chunk_bytes);
    std::string line;
    std::size_t overflow_bytes = 0; // bytes of the current line once it is over the limit
    long line_no = 0;
    for (;;) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        std::string_view data(chunk.data(), got);
        while (!data.empty()) {
            const std::size_t nl = data.find('\n');
            const std::string_view piece = data.substr(0, nl);
            if (overflow_bytes > 0) {
                overflow_bytes += piece.size();
            } else if (line.size() + piece.size() > impl_->max_article_bytes) {
                // Stop buffering: the line is rejected anyway, and memory stays bounded.
                overflow_bytes = line.size() + piece.size();
                line.clear();
            } else {
                line.append(piece);
            }
            if (nl == std::string_view::npos) {
                break;
            }
            impl_->handle_line(line, overflow_bytes, origin, ++line_no, sink);
            line.clear();
            overflow_bytes = 0;
            data.remove_prefix(nl + 1);
        }
        if (!in) {
            break;
        }
    }
    if (!line.empty() || overflow_bytes > 0) {
        impl_->handle_line(line, overflow_bytes, origin, ++line_no, sink);
    }
    if (in.bad()) {
        impl_->emit(Error(ErrorCode::internal, fmt::format("read error after line {}", line_no)),
                    origin,
                    line_no,
                    {},
                    sink);
    }
}

void JsonArticleReader::read_lines(std::string_view data,
                                   std::string_view origin,
                                   const ItemSink& sink) {
    long line_no = 0;
    while (!data.empty()) {
        const std::size_t nl = data.find('\n');
        const std::string_view line = data.substr(0, nl);
        ++line_no;
        impl_->handle_line(line.size() > impl_->max_article_bytes ? std::string_view() : line,
                           line.size() > impl_->max_article_bytes ? line.size() : 0,
                           origin,
                           line_no,
                           sink);
        if (nl == std::string_view::npos) {
            break;
        }
        data.remove_prefix(nl + 1);
    }
}

void JsonArticleReader::read_document(std::string_view data,
                                      std::string_view origin,
                                      const ItemSink& sink) {
    Impl& im = *impl_;
    if (data.starts_with("\xEF\xBB\xBF")) {
        data.remove_prefix(3);
    }
    if (is_blank(data)) {
        return;
    }
    if (data.size() > im.max_document_bytes) {
        im.emit(Error(ErrorCode::too_large,
                      fmt::format("JSON document is {} bytes; the limit is {} bytes",
                                  data.size(),
                                  im.max_document_bytes)),
                origin,
                0,
                {},
                sink);
        return;
    }
    if (const auto bad = text::first_invalid_utf8(data); bad != std::string_view::npos) {
        im.emit(Error(ErrorCode::bad_utf8, fmt::format("invalid UTF-8 at byte offset {}", bad)),
                origin,
                0,
                {},
                sink);
        return;
    }
    // An array of articles adds one level above each article.
    const bool is_array = data[data.find_first_not_of(" \t\r\n")] == '[';
    if (auto r = check_structure(data, im.max_depth + (is_array ? 1 : 0)); !r) {
        im.emit(r.error(), origin, 0, {}, sink);
        return;
    }
    ondemand::document doc;
    if (auto e = im.parser.iterate(im.pad(data)).get(doc); e) {
        im.emit(malformed(e), origin, 0, {}, sink);
        return;
    }
    ondemand::json_type type{};
    if (auto e = doc.type().get(type); e) {
        im.emit(malformed(e), origin, 0, {}, sink);
        return;
    }
    if (type == ondemand::json_type::object) {
        ondemand::object obj;
        if (auto e = doc.get_object().get(obj); e) {
            im.emit(malformed(e), origin, 0, {}, sink);
            return;
        }
        std::string id;
        auto result = parse_article(obj, id);
        im.emit(std::move(result), origin, 1, std::move(id), sink);
        return;
    }
    if (type != ondemand::json_type::array) {
        im.emit(Error(ErrorCode::bad_article, "expected a JSON object or an array of objects"),
                origin,
                0,
                {},
                sink);
        return;
    }
    ondemand::array arr;
    if (auto e = doc.get_array().get(arr); e) {
        im.emit(malformed(e), origin, 0, {}, sink);
        return;
    }
    long index = 0;
    for (auto element : arr) {
        ++index;
        ondemand::value v;
        if (auto e = std::move(element).get(v); e) {
            im.emit(malformed(e), origin, index, {}, sink);
            return;
        }
        ondemand::object obj;
        if (auto e = v.get_object().get(obj); e) {
            if (e != simdjson::INCORRECT_TYPE) {
                im.emit(malformed(e), origin, index, {}, sink);
                return;
            }
            im.emit(Error(ErrorCode::bad_article, "array element is not a JSON object"),
                    origin,
                    index,
                    {},
                    sink);
            continue;
        }
        std::string id;
        auto result = parse_article(obj, id);
        // bad_json comes only from simdjson itself: the rest of the array cannot be trusted.
        const bool hard = !result && result.error().code == ErrorCode::bad_json;
        im.emit(std::move(result), origin, index, std::move(id), sink);
        if (hard) {
            return;
        }
    }
}

} // namespace gazette::indexer
