#include "common/caching_stemmer.hpp"

#include <string_view>

namespace gazette {

CachingStemmer::CachingStemmer(Xapian::Stem inner, std::size_t max_entries)
    : inner_(std::move(inner)), max_entries_(max_entries == 0 ? 1 : max_entries) {
    memo_.reserve(max_entries_ < 4096 ? max_entries_ : 4096);
}

std::string CachingStemmer::operator()(const std::string& word) {
    if (auto it = memo_.find(word); it != memo_.end()) {
        return it->second;
    }
    std::string stem = inner_(word);
    if (memo_.size() >= max_entries_) {
        memo_.clear();
    }
    memo_.emplace(word, stem);
    return stem;
}

std::string CachingStemmer::get_description() const {
    // Xapian::Stem wraps this in "Xapian::Stem(...)": unwrap the inner one's so that a cached
    // stemmer describes itself exactly like the plain one ("Xapian::Stem(english)").
    std::string d = inner_.get_description();
    constexpr std::string_view kWrap = "Xapian::Stem(";
    if (d.size() > kWrap.size() && d.compare(0, kWrap.size(), kWrap) == 0 && d.back() == ')') {
        d = d.substr(kWrap.size(), d.size() - kWrap.size() - 1);
    }
    return d;
}

Xapian::Stem make_caching_stemmer(Xapian::Stem stem, std::size_t max_entries) {
    if (stem.is_none()) {
        return stem;
    }
    return Xapian::Stem(new CachingStemmer(std::move(stem), max_entries));
}

} // namespace gazette
