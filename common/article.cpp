#include "common/article.hpp"

#include "common/dates.hpp"
#include "common/text.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace gazette {

namespace json = boost::json;

std::string SourceLocation::to_string() const {
    if (line > 0) {
        return fmt::format("{}:{}", file, line);
    }
    return file;
}

Result<void> validate_article_id(std::string_view id) {
    if (id.empty()) {
        return Error(ErrorCode::bad_article, "field 'id' is empty", "id");
    }
    if (id.size() > 200) {
        return Error(ErrorCode::bad_article,
                     fmt::format("field 'id' is {} bytes long; the maximum is 200", id.size()), "id");
    }
    if (!text::is_valid_utf8(id)) {
        return Error(ErrorCode::bad_utf8, "field 'id' is not valid UTF-8", "id");
    }
    for (char c : id) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            return Error(ErrorCode::bad_article, "field 'id' contains a control character", "id");
        }
    }
    return {};
}

namespace {

/// Validates UTF-8 and strips control characters (which also removes the multi-value
/// separator U+001F). Single-line fields get their whitespace collapsed.
Result<void> clean_field(std::string& value, std::string_view field, bool single_line) {
    if (const auto bad = text::first_invalid_utf8(value); bad != std::string_view::npos) {
        return Error(ErrorCode::bad_utf8,
                     fmt::format("field '{}' is not valid UTF-8 (byte offset {})", field, bad),
                     std::string(field));
    }
    std::string cleaned = text::strip_control_chars(value);
    value = single_line ? text::collapse_whitespace(cleaned) : std::move(cleaned);
    return {};
}

Result<void> clean_list(std::vector<std::string>& values, std::string_view field) {
    for (auto& v : values) {
        if (auto r = clean_field(v, field, true); !r) {
            return r;
        }
    }
    std::erase_if(values, [](const std::string& v) { return v.empty(); });
    // Keep first occurrences only: duplicates would double-count facets.
    std::vector<std::string> unique;
    for (auto& v : values) {
        if (std::find(unique.begin(), unique.end(), v) == unique.end()) {
            unique.push_back(std::move(v));
        }
    }
    values = std::move(unique);
    return {};
}

} // namespace

Result<void> normalise_article(Article& a) {
    if (auto r = validate_article_id(a.id); !r) {
        return r;
    }
    for (auto [field, value, single] :
         {std::tuple<const char*, std::string*, bool>{"title", &a.title, true},
          {"body", &a.body, false},
          {"url", &a.url, true},
          {"source", &a.source, true},
          {"lang", &a.lang, true}}) {
        if (auto r = clean_field(*value, field, single); !r) {
            return r;
        }
    }
    if (auto r = clean_list(a.authors, "author"); !r) {
        return r;
    }
    if (auto r = clean_list(a.editor_topics, "topics"); !r) {
        return r;
    }
    if (auto r = clean_list(a.tags, "tags"); !r) {
        return r;
    }
    if (auto r = clean_list(a.headings, "headings"); !r) {
        return r;
    }
    for (auto& t : a.editor_topics) {
        t = text::fold_case(t);
    }
    if (text::trim(a.body).empty() && text::trim(a.title).empty()) {
        return Error(ErrorCode::bad_article, "field 'body' is missing or empty", "body");
    }
    if (!a.date.empty()) {
        auto d = dates::parse(a.date);
        if (!d) {
            return Error(ErrorCode::bad_article, fmt::format("field 'date': {}", d.error().message), "date");
        }
        a.date = d->iso();
    }
    if (!a.lang.empty()) {
        a.lang = text::fold_case(a.lang);
        // Accept "en-US" style tags; keep the primary subtag.
        if (const auto dash = a.lang.find_first_of("-_"); dash != std::string::npos) {
            a.lang.resize(dash);
        }
        if (a.lang.size() < 2 || a.lang.size() > 3 ||
            !std::all_of(a.lang.begin(), a.lang.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
            return Error(ErrorCode::bad_article,
                         fmt::format("field 'lang' is '{}'; expected an ISO 639-1 code such as 'en'", a.lang),
                         "lang");
        }
    }
    return {};
}

std::string article_to_json(const Article& a) {
    json::object o;
    o["id"] = a.id;
    o["title"] = a.title;
    if (!a.url.empty()) {
        o["url"] = a.url;
    }
    if (!a.source.empty()) {
        o["source"] = a.source;
    }
    json::array authors;
    for (const auto& s : a.authors) {
        authors.emplace_back(s);
    }
    o["author"] = std::move(authors);
    if (!a.date.empty()) {
        o["date"] = a.date;
    }
    o["lang"] = a.lang;
    json::array tags;
    for (const auto& s : a.tags) {
        tags.emplace_back(s);
    }
    o["tags"] = std::move(tags);
    json::array topics;
    for (const auto& t : a.topics) {
        json::object to;
        to["id"] = t.id;
        to["score"] = std::round(t.score * 1000.0) / 1000.0;
        if (t.editor) {
            to["editor"] = true;
        }
        topics.emplace_back(std::move(to));
    }
    o["topics"] = std::move(topics);
    if (!a.headings.empty()) {
        json::array headings;
        for (const auto& s : a.headings) {
            headings.emplace_back(s);
        }
        o["headings"] = std::move(headings);
    }
    o["body"] = a.body;
    return json::serialize(o);
}

namespace {

std::string string_field(const json::object& o, std::string_view key) {
    if (const auto* v = o.if_contains(key); v != nullptr && v->is_string()) {
        return std::string(v->get_string());
    }
    return {};
}

std::vector<std::string> list_field(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    const auto* v = o.if_contains(key);
    if (v == nullptr) {
        return out;
    }
    if (v->is_string()) {
        out.emplace_back(v->get_string());
    } else if (v->is_array()) {
        for (const auto& e : v->get_array()) {
            if (e.is_string()) {
                out.emplace_back(e.get_string());
            } else if (e.is_object()) {
                // topics as stored: {"id": ..., "score": ...}
                if (const auto* id = e.get_object().if_contains("id"); id != nullptr && id->is_string()) {
                    out.emplace_back(id->get_string());
                }
            }
        }
    }
    return out;
}

} // namespace

Result<Article> article_from_json(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) {
        return Error(ErrorCode::bad_json, fmt::format("malformed JSON: {}", ec.message()));
    }
    if (!v.is_object()) {
        return Error(ErrorCode::bad_article, "expected a JSON object");
    }
    const auto& o = v.get_object();
    Article a;
    a.id = string_field(o, "id");
    a.title = string_field(o, "title");
    a.body = string_field(o, "body");
    a.url = string_field(o, "url");
    a.source = string_field(o, "source");
    a.authors = list_field(o, "author");
    a.date = string_field(o, "date");
    a.lang = string_field(o, "lang");
    a.tags = list_field(o, "tags");
    a.headings = list_field(o, "headings");
    if (const auto* t = o.if_contains("topics"); t != nullptr && t->is_array()) {
        for (const auto& e : t->get_array()) {
            if (e.is_string()) {
                a.editor_topics.emplace_back(e.get_string());
            } else if (e.is_object()) {
                const auto& to = e.get_object();
                TopicScore ts;
                ts.id = string_field(to, "id");
                if (const auto* s = to.if_contains("score"); s != nullptr && s->is_number()) {
                    ts.score = s->to_number<double>();
                }
                if (const auto* ed = to.if_contains("editor"); ed != nullptr && ed->is_bool()) {
                    ts.editor = ed->get_bool();
                }
                if (ts.editor) {
                    a.editor_topics.push_back(ts.id);
                }
                a.topics.push_back(std::move(ts));
            }
        }
    }
    return a;
}

} // namespace gazette
