#include "bench/relevance/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace gazette::bench {
namespace {

int grade_of(const Judgements& q, const std::string& id) {
    const auto it = q.find(id);
    return it == q.end() ? 0 : it->second;
}

std::size_t relevant_count(const Judgements& q) {
    return static_cast<std::size_t>(
        std::count_if(q.begin(), q.end(), [](const auto& p) { return p.second > 0; }));
}

} // namespace

double ndcg_at(const std::vector<std::string>& ranking, const Judgements& qrels, std::size_t k) {
    double dcg = 0;
    for (std::size_t i = 0; i < ranking.size() && i < k; ++i) {
        dcg += grade_of(qrels, ranking[i]) / std::log2(static_cast<double>(i) + 2.0);
    }
    std::vector<int> grades;
    for (const auto& [id, g] : qrels) {
        if (g > 0) {
            grades.push_back(g);
        }
    }
    std::sort(grades.begin(), grades.end(), std::greater<>());
    double ideal = 0;
    for (std::size_t i = 0; i < grades.size() && i < k; ++i) {
        ideal += grades[i] / std::log2(static_cast<double>(i) + 2.0);
    }
    return ideal > 0 ? dcg / ideal : 0.0;
}

double average_precision(const std::vector<std::string>& ranking, const Judgements& qrels) {
    const std::size_t relevant = relevant_count(qrels);
    if (relevant == 0) {
        return 0;
    }
    double sum = 0;
    std::size_t found = 0;
    for (std::size_t i = 0; i < ranking.size(); ++i) {
        if (grade_of(qrels, ranking[i]) > 0) {
            ++found;
            sum += static_cast<double>(found) / static_cast<double>(i + 1);
        }
    }
    return sum / static_cast<double>(relevant);
}

double recall_at(const std::vector<std::string>& ranking, const Judgements& qrels, std::size_t k) {
    const std::size_t relevant = relevant_count(qrels);
    if (relevant == 0) {
        return 0;
    }
    std::size_t found = 0;
    for (std::size_t i = 0; i < ranking.size() && i < k; ++i) {
        found += grade_of(qrels, ranking[i]) > 0 ? 1 : 0;
    }
    return static_cast<double>(found) / static_cast<double>(relevant);
}

} // namespace gazette::bench
