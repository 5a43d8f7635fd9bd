#pragma once
/// Ranking metrics with trec_eval conventions: linear gains (the grade), log2 discount,
/// relevant = grade >= 1, averages over judged queries only.

#include <map>
#include <string>
#include <vector>

namespace gazette::bench {

/// docid -> grade for one query.
using Judgements = std::map<std::string, int>;

/// nDCG at k (trec_eval ndcg_cut.k): gain = grade, ideal from all judged grades.
double ndcg_at(const std::vector<std::string>& ranking, const Judgements& qrels, std::size_t k);
/// Average precision over the ranking, normalised by the number of relevant documents.
double average_precision(const std::vector<std::string>& ranking, const Judgements& qrels);
/// Fraction of relevant documents in the first k.
double recall_at(const std::vector<std::string>& ranking, const Judgements& qrels, std::size_t k);

} // namespace gazette::bench
