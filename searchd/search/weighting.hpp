#pragma once
/// The one ranking configuration of searchd (SPEC: one configuration for all collections).
/// Every Enquire that ranks (search, export, similar, explain) uses it, so explain's per-term
/// contributions add up to the scores that search returns.

#include <xapian.h>

namespace gazette::searchd {

/// BM25 parameters (Robertson's defaults). bench/relevance tried Anserini's k1=0.9, b=0.4:
/// lower nDCG@10 on every collection measured (see its README). Title words already carry
/// a higher wdf from the indexer (AnalysisConfig::title_weight).
inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;

/// The weighting scheme to pass to Enquire::set_weighting_scheme.
inline Xapian::BM25Weight ranking_weight() {
    return Xapian::BM25Weight(kBm25K1, 0.0, 1.0, kBm25B, 0.5);
}

} // namespace gazette::searchd
