// Fast decoding of stored article data with simdjson On-Demand: fields that are not asked for
// (above all the body, most of the bytes) are skipped without being unescaped or copied.
// This is on the hot path of every search hit.

#include "common/article.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <string>

namespace gazette {

namespace {

namespace od = simdjson::ondemand;

bool read_string(od::value v, std::string& out) {
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) {
        return false;
    }
    out.assign(s);
    return true;
}

bool read_string_list(od::value v, std::vector<std::string>& out) {
    od::json_type type;
    if (v.type().get(type) != simdjson::SUCCESS) {
        return false;
    }
    if (type == od::json_type::string) {
        std::string s;
        if (!read_string(v, s)) {
            return false;
        }
        out.push_back(std::move(s));
        return true;
    }
    od::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) {
        return false;
    }
    for (auto element : arr) {
        std::string_view s;
        if (element.get_string().get(s) != simdjson::SUCCESS) {
            return false;
        }
        out.emplace_back(s);
    }
    return true;
}

bool read_topics(od::value v, Article& a) {
    od::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) {
        return false;
    }
    for (auto element : arr) {
        od::json_type type;
        if (element.type().get(type) != simdjson::SUCCESS) {
            return false;
        }
        if (type == od::json_type::string) {
            std::string_view s;
            if (element.get_string().get(s) != simdjson::SUCCESS) {
                return false;
            }
            a.editor_topics.emplace_back(s);
            continue;
        }
        od::object obj;
        if (element.get_object().get(obj) != simdjson::SUCCESS) {
            return false;
        }
        TopicScore ts;
        for (auto field : obj) {
            std::string_view key;
            if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
                return false;
            }
            if (key == "id") {
                if (!read_string(field.value(), ts.id)) {
                    return false;
                }
            } else if (key == "score") {
                double d = 0;
                if (field.value().get_double().get(d) != simdjson::SUCCESS) {
                    return false;
                }
                ts.score = d;
            } else if (key == "editor") {
                bool b = false;
                if (field.value().get_bool().get(b) != simdjson::SUCCESS) {
                    return false;
                }
                ts.editor = b;
            }
        }
        if (ts.editor) {
            a.editor_topics.push_back(ts.id);
        }
        a.topics.push_back(std::move(ts));
    }
    return true;
}

} // namespace

Result<Article> article_from_stored_json(std::string_view json, bool with_body) {
    // One parser and one padded buffer per thread: no allocation per hit once warm.
    thread_local od::parser parser;
    thread_local std::string buffer;
    buffer.assign(json);
    const std::size_t size = buffer.size();
    buffer.append(simdjson::SIMDJSON_PADDING, '\0');
    od::document doc;
    if (parser.iterate(buffer.data(), size, buffer.size()).get(doc) != simdjson::SUCCESS) {
        return Error(ErrorCode::bad_json, "stored article data is not JSON");
    }
    od::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
        return Error(ErrorCode::bad_json, "stored article data is not a JSON object");
    }
    Article a;
    bool ok = true;
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
            ok = false;
            break;
        }
        od::value v = field.value();
        if (key == "id") {
            ok = read_string(v, a.id);
        } else if (key == "title") {
            ok = read_string(v, a.title);
        } else if (key == "url") {
            ok = read_string(v, a.url);
        } else if (key == "source") {
            ok = read_string(v, a.source);
        } else if (key == "date") {
            ok = read_string(v, a.date);
        } else if (key == "lang") {
            ok = read_string(v, a.lang);
        } else if (key == "author") {
            ok = read_string_list(v, a.authors);
        } else if (key == "tags") {
            ok = read_string_list(v, a.tags);
        } else if (key == "headings") {
            ok = read_string_list(v, a.headings);
        } else if (key == "topics") {
            ok = read_topics(v, a);
        } else if (key == "body" && with_body) {
            ok = read_string(v, a.body);
        }
        // Anything else (and the body when not wanted) is skipped unread.
        if (!ok) {
            break;
        }
    }
    if (!ok) {
        return Error(ErrorCode::bad_json, "stored article data has a field of the wrong type");
    }
    return a;
}

} // namespace gazette
