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

#include <memory>
#include <string>
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

class TopicClassifier {
public:
    TopicClassifier(const Taxonomy& taxonomy, const Analyzer& analyzer);
    ~TopicClassifier();
    TopicClassifier(TopicClassifier&&) noexcept;
    TopicClassifier& operator=(TopicClassifier&&) noexcept;

    /// Scores of the topics whose score reaches their threshold, best first.
    /// `doc` is a document built by Analyzer::build_document (terms with positions).
    std::vector<TopicScore> classify(const Xapian::Document& doc, std::string_view lang) const;

    /// Final topic list for an article: editor topics (marked editor=true, score 1 unless the
    /// classifier also found them) merged with classified ones.
    std::vector<TopicScore> merge(const std::vector<std::string>& editor_topics,
                                  std::vector<TopicScore> classified) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gazette
