#include "indexer/document_builder.hpp"

namespace gazette::indexer {

std::vector<TopicScore> DocumentBuilder::topics_for(const Xapian::Document& doc, const Article& article) const {
    if (classifier_ == nullptr) {
        std::vector<TopicScore> editor;
        for (const auto& t : article.editor_topics) {
            editor.push_back(TopicScore{t, 1.0, true});
        }
        return editor;
    }
    return classifier_->merge(article.editor_topics, classifier_->classify(doc, article.lang));
}

Xapian::Document DocumentBuilder::build(Article& article, Xapian::TermGenerator& tg) const {
    if (article.lang.empty()) {
        article.lang = analyzer_.detect_language(article.title, article.body);
    }
    // Build once without topics, classify from the built terms, then attach the topics: the
    // classifier sees exactly what the index holds (and what retag will see later).
    article.topics.clear();
    Xapian::Document doc = analyzer_.build_untopiced_document(article, tg);
    article.topics = topics_for(doc, article);
    analyzer_.retopic_document(doc, article);
    return doc;
}

} // namespace gazette::indexer
