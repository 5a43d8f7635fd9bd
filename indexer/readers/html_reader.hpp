#pragma once
/// Article extraction from HTML pages (gumbo): metadata from <head>, body text from the main
/// content with navigation, comments, scripts and similar page furniture dropped.

#include "common/article.hpp"
#include "common/error.hpp"

#include <cstddef>
#include <string_view>

namespace gazette::indexer {

/// Pages whose elements nest deeper than this (estimated before parsing) are refused:
/// gumbo's tree building slows down quadratically with depth (20,000 levels take ~20 s).
constexpr std::size_t default_max_html_depth = 1024;

/// Estimated maximum element nesting of `html`, without building a tree: open tags minus
/// closing tags, ignoring void elements, self-closed tags, elements the parser closes
/// implicitly (p, li, td, ...), comments and script/style content. Stops counting once above
/// `stop_above`.
std::size_t estimate_html_depth(std::string_view html, std::size_t stop_above);

/// Extracts what an HTML page says about its article; fields not found stay empty, and `id`
/// is always empty. Any byte string parses as HTML (invalid UTF-8 is replaced); the only
/// failure is too_complex, for nesting deeper than `max_depth`.
///
/// - title: og:title, else <title>, else the first <h1>
/// - authors: meta name=author, else article:author (unless it is a URL), else rel=author or
///   itemprop=author text
/// - date (YYYY-MM-DD): article:published_time, else meta date / pubdate / dc.date /
///   itemprop=datePublished, else the first <time datetime>
/// - url: link rel=canonical, else og:url; source: og:site_name; lang: <html lang> (primary
///   subtag, kept only when it is 2-3 letters)
/// - body: the <article> with the most text, else <main>, else the block of <body> with the most
///   paragraph text; nav, header, footer, aside, script, style, form, noscript and elements
///   whose class or id names comments, sharing, related posts, navigation, footers, sidebars or
///   cookie banners are dropped; paragraphs are separated by "\n\n"
/// - headings: the h2/h3 texts inside the body (also kept in the body as paragraphs)
[[nodiscard]] Result<Article> extract_html_article(std::string_view html,
                                                   std::size_t max_depth = default_max_html_depth);

/// extract_html_article(), then the id: `fallback_id` when not empty, else content_hash_id()
/// of the page; then normalise_article(). Rejects invalid UTF-8 (bad_utf8) instead of
/// guessing at the encoding.
[[nodiscard]] Result<Article> read_html(std::string_view html,
                                        std::string_view fallback_id,
                                        std::size_t max_depth = default_max_html_depth);

} // namespace gazette::indexer
