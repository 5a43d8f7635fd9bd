#include "searchd/search/research_query.hpp"

#include "common/analyzer.hpp"
#include "common/article.hpp"
#include "common/text.hpp"
#include "searchd/search/synonyms.hpp"

namespace gazette::searchd {

Result<QueryPlan> research_plan(const GenerationAccess& g, const SearchRequest& request) {
    const std::string lang = g.env.analyzer->query_language(request.q);
    Xapian::QueryParser qp = g.env.analyzer->make_query_parser(lang, g.db);
    configure_query_parser(qp, g.env.config->limits);
    if (g.env.synonyms != nullptr && !g.env.synonyms->empty()) {
        SearchRequest expanded = request;
        expanded.q = g.env.synonyms->expand(request.q);
        return build_query_plan(qp, expanded, g.env.analyzer->query_flags(), g.env.config->limits);
    }
    return build_query_plan(qp, request, g.env.analyzer->query_flags(), g.env.config->limits);
}

Hit hit_from_document(const Xapian::Document& doc, double score) {
    Hit hit;
    hit.score = score;
    auto article = article_from_stored_json(doc.get_data(), false);
    if (!article) {
        return hit;
    }
    hit.id = article->id;
    hit.title = text::html_escape(article->title);
    hit.url = article->url;
    hit.source = article->source;
    hit.authors = article->authors;
    hit.date = article->date;
    hit.lang = article->lang;
    for (const auto& t : article->topics) {
        hit.topics.push_back(t.id);
    }
    return hit;
}

} // namespace gazette::searchd
