#include "searchd/search/feedback.hpp"

#include "searchd/search/weighting.hpp"

#include <set>
#include <vector>

namespace gazette::searchd {
namespace {

/// Stemmed free-text words of title and body ("Z" + lower-case), not already in the query.
class ExpansionDecider : public Xapian::ExpandDecider {
public:
    explicit ExpansionDecider(std::set<std::string> query_terms) : query_terms_(std::move(query_terms)) {}

    bool operator()(const std::string& term) const override {
        if (term.size() < 4 || term.front() != 'Z') {
            return false;
        }
        const auto c = static_cast<unsigned char>(term[1]);
        const bool word = (c >= 'a' && c <= 'z') || c >= 0x80;
        return word && query_terms_.count(term) == 0;
    }

private:
    std::set<std::string> query_terms_;
};

} // namespace

std::optional<Xapian::Query> feedback_query(const Xapian::Database& db, const Xapian::Query& filtered,
                                            const Xapian::Query& text, const FeedbackOptions& options,
                                            std::map<std::string, double>* scale) {
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(ranking_weight());
    enquire.set_query(filtered);
    const Xapian::MSet top = enquire.get_mset(0, options.top_docs);
    if (top.size() < options.min_docs) {
        return std::nullopt;
    }
    Xapian::RSet rset;
    for (auto it = top.begin(); it != top.end(); ++it) {
        rset.add_document(*it);
    }
    std::set<std::string> query_terms;
    for (auto t = text.get_terms_begin(); t != text.get_terms_end(); ++t) {
        query_terms.insert(*t);
        query_terms.insert("Z" + *t); // an unstemmed query word may equal a stem
    }
    const ExpansionDecider decider(std::move(query_terms));
    const Xapian::ESet eset = enquire.get_eset(options.terms, rset, &decider);
    if (eset.empty()) {
        return std::nullopt;
    }
    std::vector<Xapian::Query> terms;
    for (auto t = eset.begin(); t != eset.end(); ++t) {
        terms.emplace_back(*t);
        if (scale != nullptr) {
            (*scale)[*t] = options.weight;
        }
    }
    const Xapian::Query expansion(Xapian::Query::OP_SCALE_WEIGHT,
                                  Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                                  options.weight);
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, filtered, expansion);
}

} // namespace gazette::searchd
