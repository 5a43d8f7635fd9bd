#pragma once
/// Query-time synonym expansion from a text file (config `searchd.synonyms_file`).
///
/// Why not Xapian's own synonyms: they live in the database (WritableDatabase::add_synonym)
/// and searchd never writes the index; Xapian's multi-word synonym values also become single
/// (never matching) terms. So the query text is rewritten before parsing instead: a word or
/// word sequence equal to a member of a group becomes `(m1 OR "m 2" OR m3)`.
///
/// File format: one group per line, members separated by commas, `#` starts a comment line.
///
/// Thread-safety: immutable after load; shared by all workers.

#include "common/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gazette::searchd {

class Synonyms {
public:
    Synonyms() = default;

    /// Parses the file text. Members are lower-cased and whitespace-collapsed; a group with
    /// fewer than two members is ignored.
    static Synonyms parse(std::string_view text);
    /// Loads a file; bad_config (with the path) when it cannot be read.
    [[nodiscard]] static Result<Synonyms> load_file(const std::string& path);

    /// Rewrites `q`: every maximal run of plain words (outside quotes, not field-prefixed,
    /// not signed with +/-, not next to NEAR/ADJ) that equals a member is replaced by the
    /// group's alternatives OR-ed in parentheses. Longest member wins. Returns `q` unchanged
    /// when nothing applies. `applied`, when given, receives each group put in, as the text
    /// between the parentheses (`m1 OR "m 2" OR m3`), so that coordination can count a group
    /// as one word although Xapian flattens it into the query's OR.
    std::string expand(std::string_view q, std::vector<std::string>* applied = nullptr) const;

    std::size_t size() const noexcept { return groups_.size(); }
    bool empty() const noexcept { return groups_.empty(); }

private:
    /// groups_[g] = members, each a vector of lower-cased words.
    std::vector<std::vector<std::vector<std::string>>> groups_;
};

} // namespace gazette::searchd
