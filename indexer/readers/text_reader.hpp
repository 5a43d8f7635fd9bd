#pragma once
/// Plain text scraped from article pages: boilerplate removal, title, byline, date and section
/// headings.

#include "common/article.hpp"
#include "common/error.hpp"
#include "indexer/readers/boilerplate.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace gazette::indexer {

/// Parses one scraped article.
///
/// - Invalid UTF-8 is rejected (bad_utf8, naming the line) rather than guessed at.
/// - Lines matching `boilerplate` are dropped; a cut_rest match ends the article.
/// - Paragraphs are separated by blank lines; a line ending in sentence punctuation also ends a
///   paragraph, other consecutive lines are joined (hard-wrapped text).
/// - "By Name", "Author: Name" and date lines ("May 16, 2024", "Published: 2024-05-16") among
///   the first few short paragraphs become authors and date and leave the body.
/// - The first paragraph is the title when it looks like one (short, single line, no final
///   period, more text follows); otherwise the title is derived from the first sentence,
///   cut at a word boundary to about `max_title_chars` code points.
/// - Section headings (see looks_like_heading, or Markdown "# ..." lines) that precede more
///   text go to Article::headings and stay in the body as their own paragraph.
/// - The id is `fallback_id` when not empty, else content_hash_id() of the cleaned text.
/// Then normalise_article() runs and its error, if any, is returned.
[[nodiscard]] Result<Article> read_scraped_text(std::string_view text,
                                                const BoilerplateFilter& boilerplate,
                                                std::string_view fallback_id,
                                                std::size_t max_title_chars = 100);

/// True when `line` looks like a section heading: one line of at most 12 words and 100
/// characters, no final '.', ',', ';' or ':', and Title Case (every word capitalised except
/// short function words such as "of", "and", "the") or all capitals.
bool looks_like_heading(std::string_view line);

/// The first sentence of `paragraph`, without its final period, cut at a word boundary to at
/// most `max_chars` code points (an ellipsis marks a cut).
std::string title_from_first_sentence(std::string_view paragraph, std::size_t max_chars);

} // namespace gazette::indexer
