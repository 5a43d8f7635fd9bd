#pragma once
/// Turns a normalised Article into its final Xapian::Document: language detection, analysis,
/// topic classification. The expensive, parallel part of indexing; the writer only stores.
///
/// Thread-safety: build() is const and may run on many threads at once, each passing its own
/// TermGenerator (TermGenerator is not thread-safe).

#include "common/analyzer.hpp"
#include "common/topics.hpp"

#include <xapian.h>

namespace gazette::indexer {

class DocumentBuilder {
public:
    /// `classifier` may be null (no taxonomy): then only editor topics are kept.
    DocumentBuilder(const Analyzer& analyzer, const TopicClassifier* classifier)
        : analyzer_(analyzer), classifier_(classifier) {}

    /// Fills article.lang (when empty) and article.topics, and returns the document.
    Xapian::Document build(Article& article, Xapian::TermGenerator& tg) const;

    /// Topics for an already built document (retag).
    std::vector<TopicScore> topics_for(const Xapian::Document& doc, const Article& article) const;

    const Analyzer& analyzer() const noexcept { return analyzer_; }

private:
    const Analyzer& analyzer_;
    const TopicClassifier* classifier_;
};

} // namespace gazette::indexer
