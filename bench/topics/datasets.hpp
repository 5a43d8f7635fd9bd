#pragma once
/// The labelled collections of the topic benchmark: label-to-topic mappings, the
/// tuning/held-out split and a reader. Shared by gazette_topics_eval and gazette_topics_train so
/// that training and evaluation cannot disagree. Mappings are documented in README.md.

#include "common/article.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::topics_bench {

/// One evaluated class: gold when the document carries any of `labels`, predicted when the
/// classifier assigns any of `topics`.
struct ClassMap {
    std::string name;
    std::vector<std::string> topics;
    std::vector<std::string> labels;
    std::vector<std::string> ignored = {}; ///< documents with these labels are not evaluated for this class
};

struct DatasetMap {
    std::string name;
    std::vector<ClassMap> classes;
    std::vector<std::string> unrelated; ///< labels of documents that must not get kGuarded topics
    bool label_prefix = false;          ///< labels match by prefix ("comp." matches comp.graphics)
    bool single_label = false;          ///< one gold label per document: also report the "primary topic" view
};

/// The topics that must stay off unrelated (sport, arts, entertainment) articles.
inline const std::vector<std::string> kGuarded = {"energy", "military", "sanctions", "diplomacy"};
inline const std::vector<std::string> kWorld = {"politics", "diplomacy", "military", "security", "nuclear", "sanctions"};

inline std::vector<DatasetMap> mappings() {
    return {
        {"reuters21578",
         {{"energy", {"energy"}, {"crude", "nat-gas", "gas", "fuel", "heat", "pet-chem", "propane", "jet", "naphtha"}},
          {"business", {"business"}, {"earn", "acq"}},
          {"trade", {"trade"}, {"trade", "money-fx", "interest", "gnp", "bop", "cpi", "money-supply", "jobs", "ipi",
                                "dlr", "reserves", "wpi", "retail", "lei", "income", "instal-debt", "yen", "stg",
                                "dmk", "housing"}}},
         {},
         false},
        {"20newsgroups",
         {{"technology", {"technology"}, {"comp.", "sci.electronics", "sci.crypt", "sci.space"}, {"misc.forsale"}},
          {"health", {"health"}, {"sci.med"}},
          {"politics", kWorld, {"talk.politics."}}},
         {"rec.", "misc.forsale"},
         true,
         true},
        {"agnews-test",
         {{"world", kWorld, {"World"}},
          {"business", {"business", "trade", "energy"}, {"Business"}},
          {"technology", {"technology"}, {"Sci/Tech"}}},
         {"Sports"},
         false,
         true},
    };
}

inline bool label_matches(const std::string& label, const std::vector<std::string>& wanted, bool prefix) {
    return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
        return prefix ? label.compare(0, w.size(), w) == 0 : label == w;
    });
}

inline bool any_label_matches(const std::vector<std::string>& labels, const std::vector<std::string>& wanted,
                              bool prefix) {
    return std::any_of(labels.begin(), labels.end(),
                       [&](const std::string& l) { return label_matches(l, wanted, prefix); });
}

/// FNV-1a 64 of a document id: the split below depends only on the id.
inline std::uint64_t id_hash(std::string_view id) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : id) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

/// Deterministic split: even hash -> tuning half (0), odd -> held-out half (1). Rules and
/// thresholds are tuned on half 0 only; half 1 is the headline.
inline int half_of(std::string_view id) { return static_cast<int>(id_hash(id) & 1U); }

/// Inner split of the tuning half for the trainer's --cv mode (bit 1 of the same hash): fold 0
/// trains, fold 1 validates, so training settings can be compared without the held-out half.
inline int fold_of(std::string_view id) { return static_cast<int>((id_hash(id) >> 1U) & 1U); }

/// Calls `fn(article, labels)` for every document of a corpus.jsonl (id, title, body, topics);
/// documents without an id get their 1-based line number. Returns false if the file is unreadable.
template <typename Fn>
bool for_each_document(const std::string& path, long limit, Fn fn) {
    std::ifstream in(path);
    if (!in) {
        return false;
    }
    simdjson::ondemand::parser parser;
    std::string line;
    long docs = 0;
    while (std::getline(in, line) && (limit < 0 || docs < limit)) {
        if (line.empty()) {
            continue;
        }
        simdjson::padded_string padded(line);
        auto doc = parser.iterate(padded);
        Article article;
        std::vector<std::string> labels;
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            if (key == "id") {
                article.id = std::string(std::string_view(field.value().get_string()));
            } else if (key == "title") {
                article.title = std::string(std::string_view(field.value().get_string()));
            } else if (key == "body") {
                article.body = std::string(std::string_view(field.value().get_string()));
            } else if (key == "topics") {
                for (auto t : field.value().get_array()) {
                    labels.emplace_back(std::string_view(t.get_string()));
                }
            }
        }
        ++docs;
        article.lang = "en";
        if (article.id.empty()) {
            article.id = std::to_string(docs);
        }
        fn(article, labels);
    }
    return true;
}

} // namespace gazette::topics_bench
