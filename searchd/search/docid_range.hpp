#pragma once
/// A weightless Xapian PostingSource matching every docid in [first, end): used as the filter
/// side of OP_FILTER to run one query on a slice of the database (searchd/search/range_match.hpp).
///
/// OP_FILTER adds nothing to a document's weight, and every statistic BM25 uses (document
/// count, average length, term frequencies) comes from the whole database, so a document gets
/// the same weight in a slice as in the full match: the slices' top documents, merged by weight
/// then docid, are the full match's top documents.

#include <xapian.h>

namespace gazette::searchd {

class DocidRangeSource : public Xapian::PostingSource {
public:
    DocidRangeSource(Xapian::docid first, Xapian::docid end);

    Xapian::doccount get_termfreq_min() const override;
    Xapian::doccount get_termfreq_est() const override;
    Xapian::doccount get_termfreq_max() const override;

    void init(const Xapian::Database& db) override;
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    bool check(Xapian::docid did, double min_wt) override;
    bool at_end() const override;
    Xapian::docid get_docid() const override;

    Xapian::PostingSource* clone() const override;
    std::string name() const override;
    std::string get_description() const override;

private:
    Xapian::docid first_;
    Xapian::docid end_;  ///< one past the last docid
    Xapian::docid current_ = 0;
    bool started_ = false;
    Xapian::doccount existing_min_ = 0;
    Xapian::doccount existing_est_ = 0;
    Xapian::doccount existing_max_ = 0;
};

} // namespace gazette::searchd
