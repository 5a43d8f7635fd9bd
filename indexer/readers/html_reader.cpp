#include "indexer/readers/html_reader.hpp"

#include "common/dates.hpp"
#include "common/text.hpp"
#include "indexer/readers/article_ids.hpp"
#include "indexer/readers/loose_date.hpp"

#include <fmt/format.h>
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gazette::indexer {

namespace {

/// Deeper subtrees are ignored: bounds recursion on hostile pages.
constexpr int max_walk_depth = 512;

struct OutputDeleter {
    void operator()(GumboOutput* out) const noexcept {
        gumbo_destroy_output(&kGumboDefaultOptions, out);
    }
};
using OutputPtr = std::unique_ptr<GumboOutput, OutputDeleter>;

bool is_element(const GumboNode* n) noexcept {
    return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
}

GumboTag tag_of(const GumboNode* n) noexcept {
    return is_element(n) ? n->v.element.tag : GUMBO_TAG_UNKNOWN;
}

std::string_view attr(const GumboNode* n, const char* name) {
    if (!is_element(n)) {
        return {};
    }
    const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a != nullptr ? std::string_view(a->value) : std::string_view();
}

const GumboVector& children_of(const GumboNode* n) {
    static const GumboVector empty = {nullptr, 0, 0};
    return is_element(n) ? n->v.element.children
                         : (n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : empty);
}

template <class F> void for_each_child(const GumboNode* n, F&& f) {
    const GumboVector& kids = children_of(n);
    for (unsigned i = 0; i < kids.length; ++i) {
        f(static_cast<const GumboNode*>(kids.data[i]));
    }
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool is_text(const GumboNode* n) noexcept {
    return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
           n->type == GUMBO_NODE_CDATA;
}

/// Elements that never hold article text.
bool is_furniture_tag(GumboTag tag) noexcept {
    switch (tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE: return true;
    default: return false;
    }
}

/// Class or id naming page furniture. "nav" must start a token ("navbar", "nav-menu") because
/// as a bare substring it occurs in ordinary words ("unavailable").
bool has_furniture_name(const GumboNode* n) {
    for (const char* name : {"class", "id"}) {
        const std::string value = lower_ascii(attr(n, name));
        if (value.empty()) {
            continue;
        }
        for (const std::string_view word : {"comment",
                                            "share",
                                            "sharing",
                                            "related",
                                            "footer",
                                            "sidebar",
                                            "cookie",
                                            "breadcrumb",
                                            "social",
                                            "newsletter",
                                            "disqus"}) {
            if (value.find(word) != std::string::npos) {
                return true;
            }
        }
        std::size_t start = 0;
        while (start < value.size()) {
            std::size_t end = start;
            while (end < value.size() &&
                   std::isalnum(static_cast<unsigned char>(value[end])) != 0) {
                ++end;
            }
            if (std::string_view(value).substr(start, end - start).starts_with("nav")) {
                return true;
            }
            start = end + 1;
        }
    }
    return false;
}

bool is_hidden(const GumboNode* n) {
    return gumbo_get_attribute(&n->v.element.attributes, "hidden") != nullptr ||
           attr(n, "aria-hidden") == "true";
}

bool is_block_tag(GumboTag tag) noexcept {
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_CENTER: return true;
    default: return false;
    }
}

/// All text below `n` (scripts and styles excluded), whitespace collapsed.
void append_text(const GumboNode* n, std::string& out, int depth) {
    if (depth > max_walk_depth) {
        return;
    }
    if (is_text(n)) {
        out += n->v.text.text;
        return;
    }
    const GumboTag tag = tag_of(n);
    if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_TEMPLATE) {
        return;
    }
    const bool block = is_block_tag(tag);
    if (block) {
        out += ' ';
    }
    for_each_child(n, [&](const GumboNode* c) { append_text(c, out, depth + 1); });
    if (block) {
        out += ' ';
    }
}

std::string text_of(const GumboNode* n) {
    std::string raw;
    append_text(n, raw, 0);
    return text::collapse_whitespace(raw);
}

// ---- metadata ----

struct PageMeta {
    std::string og_title, title_tag, first_h1;
    std::string meta_author, article_author, rel_author;
    std::string published_time, meta_date, time_datetime;
    std::string canonical, og_url, site_name, lang, og_locale;
};

bool is_date_meta_name(std::string_view name) {
    static constexpr std::array<std::string_view, 11> names = {"date",
                                                               "pubdate",
                                                               "publishdate",
                                                               "publish-date",
                                                               "publish_date",
                                                               "dc.date",
                                                               "dc.date.issued",
                                                               "dcterms.date",
                                                               "citation_publication_date",
                                                               "parsely-pub-date",
                                                               "sailthru.date"};
    return std::find(names.begin(), names.end(), name) != names.end();
}

void scan_meta(const GumboNode* n, PageMeta& m, int depth) {
    if (depth > max_walk_depth || !is_element(n)) {
        return;
    }
    const GumboTag tag = tag_of(n);
    switch (tag) {
    case GUMBO_TAG_HTML: m.lang = std::string(attr(n, "lang")); break;
    case GUMBO_TAG_TITLE:
        if (m.title_tag.empty()) {
            m.title_tag = text_of(n);
        }
        return;
    case GUMBO_TAG_H1:
        if (m.first_h1.empty()) {
            m.first_h1 = text_of(n);
        }
        break;
    case GUMBO_TAG_META: {
        const std::string key = lower_ascii(!attr(n, "property").empty() ? attr(n, "property")
                                            : !attr(n, "name").empty()   ? attr(n, "name")
                                                                         : attr(n, "itemprop"));
        const std::string content(text::trim(attr(n, "content")));
        if (content.empty()) {
            return;
        }
        auto set_first = [&](std::string& field) {
            if (field.empty()) {
                field = content;
            }
        };
        if (key == "og:title") {
            set_first(m.og_title);
        } else if (key == "og:url") {
            set_first(m.og_url);
        } else if (key == "og:site_name") {
            set_first(m.site_name);
        } else if (key == "og:locale") {
            set_first(m.og_locale);
        } else if (key == "author" || key == "dc.creator" || key == "citation_author") {
            set_first(m.meta_author);
        } else if (key == "article:author") {
            set_first(m.article_author);
        } else if (key == "article:published_time" || key == "datepublished") {
            set_first(m.published_time);
        } else if (is_date_meta_name(key)) {
            set_first(m.meta_date);
        }
        return;
    }
    case GUMBO_TAG_LINK: {
        const std::string rel = lower_ascii(attr(n, "rel"));
        if (rel == "canonical" && m.canonical.empty()) {
            m.canonical = std::string(text::trim(attr(n, "href")));
        }
        return;
    }
    case GUMBO_TAG_TIME:
        if (m.time_datetime.empty()) {
            m.time_datetime = std::string(text::trim(attr(n, "datetime")));
        }
        break;
    default: break;
    }
    const std::string rel = lower_ascii(attr(n, "rel"));
    const std::string itemprop = lower_ascii(attr(n, "itemprop"));
    if ((rel == "author" || itemprop == "author") && m.rel_author.empty() &&
        tag != GUMBO_TAG_LINK) {
        m.rel_author = text_of(n);
    }
    if (itemprop == "datepublished" && m.published_time.empty()) {
        m.published_time = std::string(text::trim(attr(n, "datetime")));
    }
    for_each_child(n, [&](const GumboNode* c) { scan_meta(c, m, depth + 1); });
}

std::optional<std::string> any_date(std::string_view s) {
    if (s.empty()) {
        return std::nullopt;
    }
    if (auto d = dates::parse(s); d) {
        return d->iso();
    }
    return parse_loose_date(s);
}

/// "en-US" / "en_US" -> "en"; empty unless the primary subtag is 2-3 ASCII letters, so that a
/// page's odd lang attribute never rejects the whole article.
std::string primary_language(std::string_view tag) {
    std::string lang = lower_ascii(text::trim(tag));
    if (const auto dash = lang.find_first_of("-_"); dash != std::string::npos) {
        lang.resize(dash);
    }
    const bool ok =
        lang.size() >= 2 && lang.size() <= 3 &&
        std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    return ok ? lang : std::string();
}

// ---- body ----

class BodyEmitter {
  public:
    BodyEmitter(bool drop_by_name, std::string_view skip_h1)
        : drop_by_name_(drop_by_name), skip_h1_(skip_h1) {}

    void walk(const GumboNode* n, int depth) {
        if (depth > max_walk_depth) {
            return;
        }
        if (is_text(n)) {
            current_ += n->v.text.text;
            return;
        }
        if (!is_element(n)) {
            return; // comments
        }
        const GumboTag tag = tag_of(n);
        if (depth > 0 && is_dropped(n)) {
            return;
        }
        if (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3) {
            flush();
            std::string heading = text_of(n);
            if (tag == GUMBO_TAG_H1 && !skipped_h1_ && heading == skip_h1_) {
                skipped_h1_ = true; // the page title repeated above the text
                return;
            }
            if (!heading.empty()) {
                if (tag != GUMBO_TAG_H1) {
                    headings_.push_back(heading);
                }
                paragraphs_.push_back(std::move(heading));
            }
            return;
        }
        const bool block = is_block_tag(tag);
        if (block) {
            flush();
        }
        for_each_child(n, [&](const GumboNode* c) { walk(c, depth + 1); });
        if (block) {
            flush();
        }
    }

    bool is_dropped(const GumboNode* n) const {
        return is_furniture_tag(tag_of(n)) || is_hidden(n) ||
               (drop_by_name_ && has_furniture_name(n));
    }

    std::string body() {
        flush();
        std::string out;
        for (const auto& p : paragraphs_) {
            if (!out.empty()) {
                out += "\n\n";
            }
            out += p;
        }
        return out;
    }

    std::vector<std::string> take_headings() { return std::move(headings_); }

  private:
    void flush() {
        std::string p = text::collapse_whitespace(current_);
        current_.clear();
        if (!p.empty()) {
            paragraphs_.push_back(std::move(p));
        }
    }

    bool drop_by_name_;
    std::string_view skip_h1_;
    bool skipped_h1_ = false;
    std::string current_;
    std::vector<std::string> paragraphs_;
    std::vector<std::string> headings_;
};

const GumboNode* find_first(const GumboNode* n, GumboTag tag, int depth) {
    if (depth > max_walk_depth || !is_element(n)) {
        return nullptr;
    }
    if (tag_of(n) == tag) {
        return n;
    }
    const GumboNode* found = nullptr;
    for_each_child(n, [&](const GumboNode* c) {
        if (found == nullptr) {
            found = find_first(c, tag, depth + 1);
        }
    });
    return found;
}

/// Elements of `tag` that are not inside dropped furniture.
void collect(const GumboNode* n,
             GumboTag tag,
             const BodyEmitter& rules,
             std::vector<const GumboNode*>& out,
             int depth) {
    if (depth > max_walk_depth || !is_element(n) || (depth > 0 && rules.is_dropped(n))) {
        return;
    }
    if (tag_of(n) == tag) {
        out.push_back(n);
    }
    for_each_child(n, [&](const GumboNode* c) { collect(c, tag, rules, out, depth + 1); });
}

/// Bytes of text in the direct <p> children and direct text of `n`: where the article prose
/// sits, as opposed to link lists and menus.
std::size_t paragraph_score(const GumboNode* n) {
    std::size_t score = 0;
    for_each_child(n, [&](const GumboNode* c) {
        if (c->type == GUMBO_NODE_TEXT) {
            score += text::trim(c->v.text.text).size();
        } else if (tag_of(c) == GUMBO_TAG_P) {
            score += text_of(c).size();
        }
    });
    return score;
}

void best_block(const GumboNode* n,
                const BodyEmitter& rules,
                const GumboNode*& best,
                std::size_t& best_score,
                int depth) {
    if (depth > max_walk_depth || !is_element(n) || (depth > 0 && rules.is_dropped(n))) {
        return;
    }
    if (const std::size_t s = paragraph_score(n); s > best_score) {
        best = n;
        best_score = s;
    }
    for_each_child(n,
                   [&](const GumboNode* c) { best_block(c, rules, best, best_score, depth + 1); });
}

/// The element holding the article text (see extract_html_article).
const GumboNode* choose_root(const GumboNode* body, const BodyEmitter& rules) {
    std::vector<const GumboNode*> articles;
    collect(body, GUMBO_TAG_ARTICLE, rules, articles, 0);
    const GumboNode* best = nullptr;
    std::size_t best_len = 0;
    for (const GumboNode* a : articles) {
        if (const std::size_t len = text_of(a).size(); len > best_len) {
            best = a;
            best_len = len;
        }
    }
    if (best != nullptr) {
        return best;
    }
    std::vector<const GumboNode*> mains;
    collect(body, GUMBO_TAG_MAIN, rules, mains, 0);
    if (!mains.empty()) {
        return mains.front();
    }
    std::size_t score = 0;
    best_block(body, rules, best, score, 0);
    if (best == nullptr) {
        return body;
    }
    // Articles split into <section>s: climb to the parent when siblings carry prose too.
    const GumboNode* parent = best->parent;
    if (parent != nullptr && is_element(parent)) {
        int rich_children = 0;
        for_each_child(parent, [&](const GumboNode* c) {
            if (is_element(c) && paragraph_score(c) * 4 >= score) {
                ++rich_children;
            }
        });
        if (rich_children >= 2) {
            return parent;
        }
    }
    return best;
}

bool is_void_or_implied(std::string_view name) {
    static constexpr std::array<std::string_view, 27> names = {
        "area", "base",  "br",     "col",   "embed",  "hr",       "img", "input", "link",
        "meta", "param", "source", "track", "wbr",    "keygen",   "p",   "li",    "dt",
        "dd",   "td",    "th",     "tr",    "option", "optgroup", "rp",  "rt",    "html"};
    return std::find(names.begin(), names.end(), name) != names.end();
}

/// Position of the case-insensitive ASCII `needle` in `hay` from `from`, or npos.
std::size_t find_ci(std::string_view hay, std::string_view needle, std::size_t from) {
    for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
        bool match = true;
        for (std::size_t k = 0; k < needle.size() && match; ++k) {
            match = std::tolower(static_cast<unsigned char>(hay[i + k])) == needle[k];
        }
        if (match) {
            return i;
        }
    }
    return std::string_view::npos;
}

} // namespace

std::size_t estimate_html_depth(std::string_view s, std::size_t stop_above) {
    std::size_t depth = 0;
    std::size_t max_depth = 0;
    std::size_t i = 0;
    while ((i = s.find('<', i)) != std::string_view::npos) {
        if (s.substr(i, 4) == "<!--") {
            const std::size_t end = s.find("-->", i + 4);
            i = end == std::string_view::npos ? s.size() : end + 3;
            continue;
        }
        if (i + 1 < s.size() && s[i + 1] == '/') {
            depth -= depth > 0 ? 1 : 0;
            i += 2;
            continue;
        }
        if (i + 1 >= s.size() || std::isalpha(static_cast<unsigned char>(s[i + 1])) == 0) {
            ++i;
            continue;
        }
        std::size_t name_end = i + 1;
        while (name_end < s.size() && std::isalnum(static_cast<unsigned char>(s[name_end])) != 0) {
            ++name_end;
        }
        const std::string name = lower_ascii(s.substr(i + 1, name_end - i - 1));
        const std::size_t gt = s.find('>', name_end);
        if (gt == std::string_view::npos) {
            break;
        }
        i = gt + 1;
        if (name == "script" || name == "style" || name == "textarea" || name == "title") {
            const std::size_t close = find_ci(s, "</" + name, i);
            i = close == std::string_view::npos ? s.size() : close;
            continue;
        }
        if (s[gt - 1] == '/' || is_void_or_implied(name)) {
            continue;
        }
        max_depth = std::max(max_depth, ++depth);
        if (max_depth > stop_above) {
            break;
        }
    }
    return max_depth;
}

Result<Article> extract_html_article(std::string_view html_in, std::size_t max_depth) {
    if (const std::size_t depth = estimate_html_depth(html_in, max_depth); depth > max_depth) {
        return Error(ErrorCode::too_complex,
                     fmt::format("HTML elements nest deeper than {} levels", max_depth));
    }
    const std::string html = text::sanitize_utf8(html_in);
    OutputPtr output(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
    Article article;
    if (!output) {
        return article;
    }
    PageMeta meta;
    scan_meta(output->root, meta, 0);

    article.title = !meta.og_title.empty()    ? meta.og_title
                    : !meta.title_tag.empty() ? meta.title_tag
                                              : meta.first_h1;
    if (!meta.meta_author.empty()) {
        article.authors.push_back(meta.meta_author);
    } else if (!meta.article_author.empty() && !meta.article_author.starts_with("http")) {
        article.authors.push_back(meta.article_author);
    } else if (!meta.rel_author.empty()) {
        article.authors.push_back(meta.rel_author);
    }
    for (const std::string* candidate :
         {&meta.published_time, &meta.meta_date, &meta.time_datetime}) {
        if (auto d = any_date(*candidate)) {
            article.date = *d;
            break;
        }
    }
    article.url = !meta.canonical.empty() ? meta.canonical : meta.og_url;
    article.source = meta.site_name;
    article.lang = primary_language(!meta.lang.empty() ? meta.lang : meta.og_locale);

    const GumboNode* body = find_first(output->root, GUMBO_TAG_BODY, 0);
    if (body == nullptr) {
        return article;
    }
    // Class-name heuristics can misfire on a wrapper ("content-with-sidebar"); when they drop
    // everything, retry with tag rules only.
    for (const bool drop_by_name : {true, false}) {
        BodyEmitter emitter(drop_by_name, article.title);
        emitter.walk(choose_root(body, emitter), 0);
        article.body = emitter.body();
        if (!article.body.empty()) {
            article.headings = emitter.take_headings();
            break;
        }
    }
    return article;
}

Result<Article>
read_html(std::string_view html, std::string_view fallback_id, std::size_t max_depth) {
    if (const auto bad = text::first_invalid_utf8(html); bad != std::string_view::npos) {
        const auto line =
            std::count(html.begin(), html.begin() + static_cast<std::ptrdiff_t>(bad), '\n') + 1;
        return Error(ErrorCode::bad_utf8,
                     fmt::format("invalid UTF-8 at line {} (byte offset {})", line, bad));
    }
    auto extracted = extract_html_article(html, max_depth);
    if (!extracted) {
        return extracted.error();
    }
    Article article = std::move(*extracted);
    article.id = fallback_id.empty() ? content_hash_id(html) : std::string(fallback_id);
    if (auto r = normalise_article(article); !r) {
        return r.error();
    }
    return article;
}

} // namespace gazette::indexer
