#include "searchd/search/docid_range.hpp"

#include <algorithm>
#include <string>

namespace gazette::searchd {

DocidRangeSource::DocidRangeSource(Xapian::docid first, Xapian::docid end)
    : first_(std::max<Xapian::docid>(first, 1)), end_(std::max(end, first_)) {
    set_maxweight(0.0);
}

// The matcher's estimates of the filtered query use these. Docids in the slice may have been
// deleted, so the minimum counts only those that must exist: the slice's size less every
// docid ever freed in the database.
Xapian::doccount DocidRangeSource::get_termfreq_min() const { return existing_min_; }
Xapian::doccount DocidRangeSource::get_termfreq_est() const { return existing_est_; }
Xapian::doccount DocidRangeSource::get_termfreq_max() const { return existing_max_; }

void DocidRangeSource::init(const Xapian::Database& db) {
    current_ = 0;
    started_ = false;
    const Xapian::docid last = db.get_lastdocid();
    const Xapian::docid end = std::min<Xapian::docid>(end_, last + 1);
    const Xapian::doccount slots = end > first_ ? end - first_ : 0;
    const Xapian::doccount freed = last - std::min<Xapian::doccount>(db.get_doccount(), last);
    existing_max_ = slots;
    existing_min_ = slots > freed ? slots - freed : 0;
    // Deletions spread evenly, as a guess.
    existing_est_ = last == 0 ? 0
                              : static_cast<Xapian::doccount>(static_cast<double>(slots) *
                                                              db.get_doccount() / last);
}

void DocidRangeSource::next(double) {
    current_ = started_ ? current_ + 1 : first_;
    started_ = true;
}

void DocidRangeSource::skip_to(Xapian::docid did, double) {
    started_ = true;
    current_ = std::max({did, current_, first_});
}

bool DocidRangeSource::check(Xapian::docid did, double) {
    // Positioned at did when it is in the slice, else at the slice's start or end: either way
    // "valid" (true), as the PostingSource contract allows.
    started_ = true;
    current_ = std::max(did, first_);
    return true;
}

bool DocidRangeSource::at_end() const { return started_ && current_ >= end_; }

Xapian::docid DocidRangeSource::get_docid() const { return current_; }

Xapian::PostingSource* DocidRangeSource::clone() const { return new DocidRangeSource(first_, end_); }

std::string DocidRangeSource::name() const { return "gazette.DocidRange"; }

std::string DocidRangeSource::get_description() const {
    return "DocidRangeSource(" + std::to_string(first_) + ".." + std::to_string(end_) + ")";
}

} // namespace gazette::searchd
