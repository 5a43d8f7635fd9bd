#pragma once
/// The topic taxonomy (config/topics.toml) and the classifier that applies it.
///
/// Each topic has rules written in the search query language (weighted terms and phrases,
/// stemmed like the index). Classification scores a built Xapian::Document (its terms,
/// wdf and positions), so retag can classify stored documents without re-tokenising.
///
/// Thread-safety: Taxonomy and TopicClassifier are immutable after construction; classify()
/// is const and safe to call from many threads.

#include "common/analyzer.hpp"
#include "common/article.hpp"
#include "common/error.hpp"

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gazette {

struct TopicRule {
    std::string query;   ///< in the query language: `pipeline`, `"natural gas"`, `oil NEAR price`
    double weight = 1.0;
};

struct TopicDef {
    std::string id;          ///< "energy"
    std::string label;       ///< "Energy"
    std::string description;
    std::vector<TopicRule> rules;
    double threshold = 1.0;  ///< minimum score to assign the topic
};

class Taxonomy {
public:
    /// Loads and validates a topics.toml file. Errors name the topic and the rule at fault.
    [[nodiscard]] static Result<Taxonomy> load_file(const std::string& path, const Analyzer& analyzer);
    /// Same, from TOML text (`origin` names it in errors).
    [[nodiscard]] static Result<Taxonomy> parse(std::string_view toml_text, const Analyzer& analyzer,
                                                std::string_view origin = "topics.toml");

    const std::vector<TopicDef>& topics() const noexcept { return topics_; }
    const TopicDef* find(std::string_view id) const noexcept;

private:
    std::vector<TopicDef> topics_;
};

/// The inputs of TopicClassifier's decision for one document, exposed so that rule weights can
/// be learned from data (bench/topics/topics_train.cpp) with exactly the classifier's features.
struct TopicEvidence {
    /// Per topic (taxonomy order): (rule index, saturated evidence) of every rule that matched.
    /// A topic's score is the sum of weight * evidence over its rules; evidence is
    /// tf * (k1 + 1) / (tf + K) (BM25 tf saturation, K from the document length), so it lies in
    /// (0, k1 + 1).
    std::vector<std::vector<std::pair<std::uint32_t, double>>> rules;
    double length = 0.0; ///< document length in distinct terms, topic terms excluded
};

/// The decision classify() takes from per-topic scores: a topic is kept when its score reaches
/// threshold x length factor (see topic_threshold_factor) and, in documents of average length
/// or shorter, a fraction of the best topic's score. `ids`, `thresholds` and `scores` are
/// parallel (taxonomy order). Best first.
[[nodiscard]] std::vector<TopicScore> select_topics(const std::vector<std::string>& ids,
                                                    const std::vector<double>& thresholds,
                                                    const std::vector<double>& scores, double length);

/// The factor a topic's threshold is multiplied by for a document of `length` terms.
[[nodiscard]] double topic_threshold_factor(double length);

class TopicClassifier {
public:
    TopicClassifier(const Taxonomy& taxonomy, const Analyzer& analyzer);
    ~TopicClassifier();
    TopicClassifier(TopicClassifier&&) noexcept;
    TopicClassifier& operator=(TopicClassifier&&) noexcept;

    /// Scores of the topics whose score reaches their threshold, best first.
    /// `doc` is a document built by Analyzer::build_document (terms with positions).
    std::vector<TopicScore> classify(const Xapian::Document& doc, std::string_view lang) const;

    /// The per-rule evidence classify() sums, for training rule weights. Rules that failed to
    /// compile for `lang` never match.
    TopicEvidence evidence(const Xapian::Document& doc, std::string_view lang) const;

    /// Final topic list for an article: editor topics (marked editor=true, score 1 unless the
    /// classifier also found them) merged with classified ones.
    std::vector<TopicScore> merge(const std::vector<std::string>& editor_topics,
                                  std::vector<TopicScore> classified) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gazette
