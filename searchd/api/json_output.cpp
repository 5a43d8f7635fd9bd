#include "searchd/api/json_output.hpp"

#include "searchd/api/json_number.hpp"

#include <boost/json.hpp>

#include <cmath>

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

std::string search_result_json(const SearchResult& r) {
    boost::json::object out;
    boost::json::object query;
    query["q"] = r.q;
    query["parsed"] = r.parsed;
    out["query"] = std::move(query);
    out["generation"] = r.generation;
    boost::json::object total;
    total["value"] = r.total.value;
    total["exact"] = r.total.exact;
    total["lower"] = r.total.lower;
    total["upper"] = r.total.upper;
    out["total"] = std::move(total);
    out["took_ms"] = round3(r.took_ms);
    boost::json::array hits;
    hits.reserve(r.hits.size());
    for (const auto& h : r.hits) {
        boost::json::object o;
        o["id"] = h.id;
        o["title"] = h.title;
        o["url"] = h.url;
        o["source"] = h.source;
        o["author"] = string_array(h.authors);
        o["date"] = h.date;
        o["lang"] = h.lang;
        o["topics"] = string_array(h.topics);
        o["score"] = round3(h.score);
        o["snippet"] = h.snippet;
        if (!h.matched_terms.empty() || h.explained) {
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
            o["explain"] = std::move(explain);
        }
        hits.emplace_back(std::move(o));
    }
    out["hits"] = std::move(hits);
    boost::json::object facets;
    bool all_exact = true;
    for (const auto& f : r.facets) {
        boost::json::array values;
        for (const auto& c : f.values) {
            boost::json::object v;
            v["value"] = c.value;
            v["count"] = c.count;
            values.emplace_back(std::move(v));
        }
        facets[facet_field_name(f.field)] = std::move(values);
        all_exact = all_exact && f.exact;
    }
    out["facets"] = std::move(facets);
    out["facets_exact"] = all_exact;
    if (r.suggestion) {
        out["suggestion"] = *r.suggestion;
    } else {
        out["suggestion"] = nullptr;
    }
    if (r.next_cursor) {
        out["next_cursor"] = *r.next_cursor;
    } else {
        out["next_cursor"] = nullptr;
    }
    return serialize_plain(out);
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
