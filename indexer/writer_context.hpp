#pragma once
/// Everything one writer process holds: the config, the data directory and its LOCK, the
/// analyzer, the taxonomy and classifier, and the archive. Exactly one exists per data
/// directory at a time (flock on DIR/LOCK), which is what makes "one writer" true across
/// processes: a second `index` while `serve` runs fails with a clear message.

#include "common/analyzer.hpp"
#include "common/config.hpp"
#include "common/data_dir.hpp"
#include "common/topics.hpp"
#include "indexer/archive.hpp"
#include "indexer/dead_letter.hpp"
#include "indexer/document_builder.hpp"

#include <memory>
#include <optional>

namespace gazette::indexer {

class WriterContext {
public:
    /// Creates the layout, takes the writer lock, loads the taxonomy (config topics_file).
    /// Errors: bad_config for a bad taxonomy, conflict when another writer holds the lock.
    [[nodiscard]] static Result<std::unique_ptr<WriterContext>> open(const Config& config);
    ~WriterContext();
    WriterContext(const WriterContext&) = delete;
    WriterContext& operator=(const WriterContext&) = delete;

    const Config& config() const noexcept { return config_; }
    const DataDir& data_dir() const noexcept { return data_dir_; }
    const Analyzer& analyzer() const noexcept { return *analyzer_; }
    const TopicClassifier* classifier() const noexcept { return classifier_ ? &*classifier_ : nullptr; }
    const DocumentBuilder& builder() const noexcept { return *builder_; }
    Archive& archive() noexcept { return *archive_; }
    DeadLetter& dead_letter() noexcept { return *dead_letter_; }
    std::size_t threads() const noexcept;

    /// Reloads topics.toml (SIGHUP / retag). Keeps the old taxonomy on error.
    [[nodiscard]] Result<void> reload_taxonomy();

private:
    explicit WriterContext(const Config& config);

    Config config_;
    DataDir data_dir_;
    int lock_fd_ = -1;
    std::unique_ptr<Analyzer> analyzer_;
    std::optional<Taxonomy> taxonomy_;
    std::optional<TopicClassifier> classifier_;
    std::unique_ptr<DocumentBuilder> builder_;
    std::unique_ptr<Archive> archive_;
    std::unique_ptr<DeadLetter> dead_letter_;
};

} // namespace gazette::indexer
