#include "indexer/parallel_builder.hpp"

namespace gazette::indexer {

ParallelBuilder::ParallelBuilder(const DocumentBuilder& builder, std::size_t threads) : builder_(builder) {
    // The caller works too, so start one thread fewer than asked for.
    for (std::size_t i = 1; i < threads; ++i) {
        threads_.emplace_back([this] { worker_loop(); });
    }
}

ParallelBuilder::~ParallelBuilder() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) {
        t.join();
    }
}

void ParallelBuilder::work(const Job& job, std::size_t size, Xapian::TermGenerator& tg) {
    while (true) {
        const std::size_t i = next_.fetch_add(1);
        if (i >= size) {
            return;
        }
        job(i, tg);
    }
}

void ParallelBuilder::worker_loop() {
    Xapian::TermGenerator tg = builder_.analyzer().make_term_generator(builder_.analyzer().config().default_language);
    std::uint64_t seen = 0;
    while (true) {
        const Job* job = nullptr;
        std::size_t size = 0;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) {
                return;
            }
            seen = generation_;
            // A late wake-up after the job ended finds no job and goes back to sleep.
            if (job_ == nullptr) {
                continue;
            }
            job = job_;
            size = job_size_;
            ++active_;
        }
        work(*job, size, tg);
        {
            std::lock_guard lock(mutex_);
            --active_;
        }
        done_.notify_all();
    }
}

void ParallelBuilder::for_each(std::size_t n, const std::function<void(std::size_t, Xapian::TermGenerator&)>& fn) {
    thread_local Xapian::TermGenerator caller_tg =
        builder_.analyzer().make_term_generator(builder_.analyzer().config().default_language);
    {
        std::lock_guard lock(mutex_);
        job_ = &fn;
        job_size_ = n;
        next_.store(0);
        ++generation_;
    }
    wake_.notify_all();
    work(fn, n, caller_tg);
    std::unique_lock lock(mutex_);
    // Every index was claimed; wait for workers still finishing theirs.
    done_.wait(lock, [&] { return active_ == 0; });
    job_ = nullptr;
}

std::vector<Xapian::Document> ParallelBuilder::build(std::vector<Article>& articles) {
    std::vector<Xapian::Document> docs(articles.size());
    for_each(articles.size(), [&](std::size_t i, Xapian::TermGenerator& tg) {
        docs[i] = builder_.build(articles[i], tg);
    });
    return docs;
}

} // namespace gazette::indexer
