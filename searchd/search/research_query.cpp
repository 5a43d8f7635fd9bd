#include "searchd/search/research_query.hpp"

#include "common/analyzer.hpp"
#include "common/article.hpp"
#include "common/text.hpp"
#include "searchd/search/coordination.hpp"
#include "searchd/search/synonyms.hpp"

namespace gazette::searchd {

Result<QueryPlan> research_plan(const GenerationAccess& g, const SearchRequest& request) {
    const std::string lang = g.env.analyzer->query_language(request.q);
    Xapian::QueryParser qp = g.env.analyzer->make_query_parser(lang, g.db);
    configure_query_parser(qp, g.env.config->limits);
    if (g.env.synonyms != nullptr && !g.env.synonyms->empty()) {
        SearchRequest expanded = request;
        std::vector<std::string> applied;
        expanded.q = g.env.synonyms->expand(request.q, &applied);
        auto plan = build_query_plan(qp, expanded, g.env.analyzer->query_flags(), g.env.config->limits);
        if (plan) {
            plan->synonym_groups = synonym_term_groups(qp, g.env.analyzer->query_flags(), applied);
        }
        return plan;
    }
    return build_query_plan(qp, request, g.env.analyzer->query_flags(), g.env.config->limits);
}

} // namespace gazette::searchd
