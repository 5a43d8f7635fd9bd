#include "searchd/api/json_output.hpp"

#include "searchd/api/json_number.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace gazette::searchd::api {
namespace {

boost::json::array string_array(const std::vector<std::string>& v) {
    boost::json::array a;
    a.reserve(v.size());
    for (const auto& s : v) {
        a.emplace_back(s);
    }
    return a;
}

double round3(double x) { return std::round(x * 1000.0) / 1000.0; }

} // namespace

namespace {

/// Appends `"key":` (keys here are plain ASCII literals: no escaping needed).
void key(std::string& out, std::string_view k) {
    out += '"';
    out += k;
    out += "\":";
}

void string_field(std::string& out, std::string_view k, std::string_view v) {
    key(out, k);
    append_json_string(out, v);
}

void uint_field(std::string& out, std::string_view k, std::uint64_t v) {
    key(out, k);
    fmt::format_to(std::back_inserter(out), "{}", v);
}

void string_list(std::string& out, const std::vector<std::string>& v) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i != 0) {
            out += ',';
        }
        append_json_string(out, v[i]);
    }
    out += ']';
}

/// The rare `explain` block, built as a DOM (its field sums need a map anyway).
boost::json::object explain_json(const Hit& h) {
    boost::json::object explain;
    explain["matched_terms"] = string_array(h.matched_terms);
    boost::json::array terms;
    boost::json::object fields;
    double sum = 0;
    for (const auto& c : h.explanation) {
        boost::json::object t;
        t["term"] = c.term;
        t["field"] = c.field;
        t["weight"] = round3(c.weight);
        terms.emplace_back(std::move(t));
        auto& f = fields[c.field];
        f = (f.is_double() ? f.get_double() : 0.0) + c.weight;
        sum += c.weight;
    }
    for (auto& [k, f] : fields) {
        f = round3(f.get_double());
    }
    explain["terms"] = std::move(terms);
    explain["fields"] = std::move(fields);
    explain["sum"] = round3(sum);
    return explain;
}

} // namespace

// Written straight into one string rather than through a boost::json DOM: this is on every
// search response, and the DOM's allocations and second pass cost more than the search of a
// cheap query. The output is the same bytes the DOM produced (see research_unit_test).
std::string search_result_json(const SearchResult& r) {
    std::string out;
    std::size_t guess = 256 + r.q.size() * 2 + r.parsed.size() * 2;
    for (const auto& h : r.hits) {
        guess += 200 + h.title.size() + h.url.size() + h.snippet.size() + h.id.size();
    }
    out.reserve(guess);
    out += "{\"query\":{";
    string_field(out, "q", r.q);
    out += ',';
    string_field(out, "parsed", r.parsed);
    out += "},";
    string_field(out, "generation", r.generation);
    out += ",\"total\":{";
    uint_field(out, "value", r.total.value);
    out += r.total.exact ? ",\"exact\":true," : ",\"exact\":false,";
    uint_field(out, "lower", r.total.lower);
    out += ',';
    uint_field(out, "upper", r.total.upper);
    out += "},";
    key(out, "took_ms");
    append_decimal3(out, round3(r.took_ms));
    out += ",\"hits\":[";
    for (std::size_t i = 0; i < r.hits.size(); ++i) {
        const Hit& h = r.hits[i];
        out += i == 0 ? "{" : ",{";
        string_field(out, "id", h.id);
        out += ',';
        string_field(out, "title", h.title);
        out += ',';
        string_field(out, "url", h.url);
        out += ',';
        string_field(out, "source", h.source);
        out += ',';
        key(out, "author");
        string_list(out, h.authors);
        out += ',';
        string_field(out, "date", h.date);
        out += ',';
        string_field(out, "lang", h.lang);
        out += ',';
        key(out, "topics");
        string_list(out, h.topics);
        out += ',';
        key(out, "score");
        append_decimal3(out, round3(h.score));
        out += ',';
        string_field(out, "snippet", h.snippet);
        if (!h.matched_terms.empty() || h.explained) {
            out += ',';
            key(out, "explain");
            append_plain(out, explain_json(h));
        }
        out += '}';
    }
    out += "],\"facets\":{";
    bool all_exact = true;
    // Like the DOM object this replaces: a field named twice keeps its first position and
    // its last values.
    std::vector<const FacetResult*> order;
    for (const auto& f : r.facets) {
        auto same = std::find_if(order.begin(), order.end(),
                                 [&](const FacetResult* o) { return o->field == f.field; });
        if (same == order.end()) {
            order.push_back(&f);
        } else {
            *same = &f;
        }
        all_exact = all_exact && f.exact;
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i != 0) {
            out += ',';
        }
        append_json_string(out, facet_field_name(order[i]->field));
        out += ":[";
        const auto& values = order[i]->values;
        for (std::size_t j = 0; j < values.size(); ++j) {
            out += j == 0 ? "{" : ",{";
            string_field(out, "value", values[j].value);
            out += ',';
            uint_field(out, "count", values[j].count);
            out += '}';
        }
        out += ']';
    }
    out += all_exact ? "},\"facets_exact\":true," : "},\"facets_exact\":false,";
    // Fields counted without their own filter (SPEC: say so when counts are not over the
    // matching set). Only present when there are some.
    bool any_disjunctive = false;
    for (const FacetResult* f : order) {
        if (f->disjunctive) {
            out += any_disjunctive ? "," : "\"facets_disjunctive\":[";
            append_json_string(out, facet_field_name(f->field));
            any_disjunctive = true;
        }
    }
    if (any_disjunctive) {
        out += "],";
    }
    key(out, "suggestion");
    if (r.suggestion) {
        append_json_string(out, *r.suggestion);
    } else {
        out += "null";
    }
    out += ',';
    key(out, "next_cursor");
    if (r.next_cursor) {
        append_json_string(out, *r.next_cursor);
    } else {
        out += "null";
    }
    out += '}';
    return out;
}

std::string stats_json(const StatsResult& s, std::uint64_t queue_depth) {
    boost::json::object out;
    out["articles"] = s.articles;
    out["generation"] = s.generation;
    out["last_update"] = s.last_update.empty() ? boost::json::value(nullptr)
                                               : boost::json::value(s.last_update);
    out["created"] = s.created.empty() ? boost::json::value(nullptr) : boost::json::value(s.created);
    out["index_bytes"] = s.index_bytes;
    out["generations"] = string_array(s.generations);
    out["queue_depth"] = queue_depth;
    return boost::json::serialize(out);
}

std::string topics_json(const std::vector<TopicCount>& topics, const std::string& generation) {
    boost::json::array arr;
    for (const auto& t : topics) {
        boost::json::object o;
        o["id"] = t.id;
        o["label"] = t.label;
        o["description"] = t.description;
        o["count"] = t.count;
        arr.emplace_back(std::move(o));
    }
    boost::json::object out;
    out["topics"] = std::move(arr);
    out["generation"] = generation;
    return boost::json::serialize(out);
}

} // namespace gazette::searchd::api
