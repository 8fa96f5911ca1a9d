import DescentReport
import Testing

/// Reference values from scipy 1.17.1. Helpers used in the comments:
///   mw_exact(x, y) = stats.mannwhitneyu(x, y, alternative="two-sided", method="exact").pvalue
///   mw_perm(x, y)  = stats.permutation_test((x, y), lambda a, b, axis: np.abs(stats.mannwhitneyu(a, b, axis=axis).statistic
///                        - len(x)*len(y)/2), permutation_type="independent", alternative="greater",
///                        n_resamples=np.inf, vectorized=True).pvalue      (exact, conditional on the ties)
///   T(d, axis)     = np.sum(np.where(d > 0, stats.rankdata(np.abs(d), axis=axis), 0), axis=axis)   (Wilcoxon T⁺)
///   sf_perm(d)     = stats.permutation_test((d[d != 0],), T, permutation_type="samples", n_resamples=np.inf,
///                        vectorized=True).pvalue                         (exact, two-sided)
@Suite("ExactTests: tie-aware exact tests, Holm, effect sizes")
struct ExactTestsTests {
    static func close(_ a: Double, _ b: Double) -> Bool { Swift.abs(a - b) <= 1e-12 * Swift.max(1, Swift.abs(b)) }

    @Test("rank-sum p without ties matches scipy's exact Mann–Whitney", arguments: [
        // mw_exact([12.5, 3.1, 7.7, 9.2, 15.0, 4.4, 8.8], [10.1, 11.3, 14.2, 16.6, 13.0, 17.4, 18.9]) = 0.01748251748251748
        ([12.5, 3.1, 7.7, 9.2, 15.0, 4.4, 8.8], [10.1, 11.3, 14.2, 16.6, 13.0, 17.4, 18.9], 0.01748251748251748),
        // mw_exact([0.5, 2.5, 4.1], [1.2, 3.3, 5.6, 6.1, 7.9, 8.4]) = 0.16666666666666666
        ([0.5, 2.5, 4.1], [1.2, 3.3, 5.6, 6.1, 7.9, 8.4], 0.16666666666666666),
        // 10 vs 10, C(20, 10) = 184 756 splits, still exact:
        // mw_exact(list(range(0, 20, 2)), [v + 0.5 for v in range(3, 23, 2)]) = 0.31499924224382436
        ((0..<10).map { Double(2 * $0) }, (0..<10).map { Double(2 * $0 + 3) + 0.5 }, 0.31499924224382436),
    ] as [([Double], [Double], Double)])
    func untied(x: [Double], y: [Double], p: Double) {
        #expect(Self.close(ExactTests.rankSum(x, y), p), "p = \(ExactTests.rankSum(x, y)), scipy \(p)")
        #expect(Self.close(ExactTests.rankSum(y, x), p), "two-sided: swapping the samples keeps p")
    }

    @Test("rank-sum p with ties is the exact permutation p conditional on the ties (scipy permutation_test)", arguments: [
        // mw_perm([2, 2, 2, 3], [3, 3, 4, 4, 4]) = 0.047619047619047616 (the normal approximation says 0.0282)
        ([2, 2, 2, 3], [3, 3, 4, 4, 4], 0.047619047619047616),
        // mw_perm([5, 5, 6, 7, 7, 7, 9], [6, 7, 8, 8, 9, 9, 10]) = 0.07459207459207459
        ([5, 5, 6, 7, 7, 7, 9], [6, 7, 8, 8, 9, 9, 10], 0.07459207459207459),
        // Complete separation, unequal sizes, ties in one group: only x taking the three lowest is as extreme.
        // mw_perm([1, 2, 3], [4, 4, 4, 4, 4]) = 0.017857142857142856 = 1/56
        ([1, 2, 3], [4, 4, 4, 4, 4], 0.017857142857142856),
    ] as [([Double], [Double], Double)])
    func tied(x: [Double], y: [Double], p: Double) {
        #expect(Self.close(ExactTests.rankSum(x, y), p), "p = \(ExactTests.rankSum(x, y)), scipy \(p)")
        #expect(Self.close(ExactTests.rankSum(y, x), p))
    }

    @Test("tiny tied cases, enumerated by hand")
    func handEnumerated() {
        // [1, 2] vs [2, 3]: pooled 1, 2, 2, 3 has midranks 1, 2.5, 2.5, 4; x's rank sum 3.5, mean 5, deviation 1.5.
        // The C(4, 2) = 6 splits' rank sums: {1, 2.5} 3.5 (twice), {1, 4} 5, {2.5, 2.5} 5, {2.5, 4} 6.5 (twice):
        // four deviate by 1.5, so p = 4/6. (mw_perm([1, 2], [2, 3]) = 0.6666666666666666.)
        #expect(Self.close(ExactTests.rankSum([1.0, 2], [2.0, 3]), 4.0 / 6))
        // [1, 1] vs [1, 2]: midranks 2, 2, 2, 4; every split's sum is 4 or 6, mean 5, so all six deviate by 1: p = 1.
        #expect(ExactTests.rankSum([1.0, 1], [1.0, 2]) == 1)
        #expect(ExactTests.rankSum([3.0, 3, 3], [3.0, 3]) == 1 && ExactTests.rankSum([Double](), [1.0]) == 1)
    }

    @Test("complete separation with ties gets the smallest attainable p, 2/C(14, 7)")
    func separation() {
        // gd vs lbfgs-wolfe from issue 26: every gd run 100× the work of every lbfgs-wolfe run, ties inside each.
        // mw_perm(gd, lbfgs) = 0.0005827505827505828 = 2/3432
        let gd = [3907.0, 3851, 3938, 3851, 3900, 3910, 3920]
        let lbfgs = [38.0, 36, 39.5, 36, 38, 37, 36]
        #expect(ExactTests.smallestRankSumP(7, 7) == 2.0 / 3432)
        #expect(Self.close(ExactTests.rankSum(gd, lbfgs), 2.0 / 3432))
        #expect(Self.close(ExactTests.rankSum(lbfgs, gd), ExactTests.smallestRankSumP(7, 7)))
        #expect(ExactTests.smallestRankSumP(10, 10) == 2.0 / 184_756 && ExactTests.smallestRankSumP(0, 3) == 1
            && ExactTests.smallestRankSumP(1, 1) == 1)
    }

    @Test("the Monte Carlo p is deterministic, seeded, and within 3 standard errors of the exact p")
    func monteCarlo() {
        let x = [5.0, 5, 6, 7, 7, 7, 9], y = [6.0, 7, 8, 8, 9, 9, 10]
        let exact = 0.07459207459207459  // mw_perm(x, y), as in `tied`
        let first = ExactTests.rankSum(x, y, exactLimit: 0)
        let second = ExactTests.rankSum(x, y, exactLimit: 0)
        let draws = Double(ExactTests.monteCarloDraws)
        let standardError = (exact * (1 - exact) / draws).squareRoot()
        #expect(first == second)
        #expect(first != exact && Swift.abs(first - exact) <= 3 * standardError, "Monte Carlo \(first), exact \(exact)")
        // A whole count over 1 + draws, and another seed draws other splits.
        #expect(((first * (1 + draws)).rounded() - first * (1 + draws)).magnitude < 1e-6)
        #expect(ExactTests.rankSum(x, y, exactLimit: 0, seed: 7) != first)
        // Separation beyond the exact limit: no split is more extreme than the observed, p = (1 + hits)/(1 + draws).
        let mc = ExactTests.rankSum([1.0, 2, 3], [4.0, 5, 6], exactLimit: 0, draws: 999)
        #expect(mc > 1.0 / 1000 && mc < 0.2)
    }

    @Test("the sign-flip test without ties matches scipy's exact Wilcoxon signed-rank test", arguments: [
        // stats.wilcoxon([1.5, -0.3, 2.2, 3.1, -0.8, 4.0, 2.7], method="exact").pvalue = 0.078125
        ([1.5, -0.3, 2.2, 3.1, -0.8, 4.0, 2.7], 0.078125),
        // stats.wilcoxon([0.9, -1.7, 2.4, 3.3, -0.2, 1.1, 2.8, -3.6, 4.5, 0.6], method="exact").pvalue = 0.232421875
        ([0.9, -1.7, 2.4, 3.3, -0.2, 1.1, 2.8, -3.6, 4.5, 0.6], 0.232421875),
        // A zero is dropped: stats.wilcoxon([1, 2, 0, 3, -0.5], zero_method="wilcox", method="exact").pvalue = 0.25
        ([1, 2, 0, 3, -0.5], 0.25),
        // Every instance favours one side: 2/2⁷.
        ([5, 4, 6, 7, 3, 2, 1], 0.015625),
    ] as [([Double], Double)])
    func signFlipUntied(d: [Double], p: Double) {
        #expect(Self.close(ExactTests.signFlip(d), p), "p = \(ExactTests.signFlip(d)), scipy \(p)")
        #expect(Self.close(ExactTests.signFlip(d.map { -$0 }), p))
    }

    @Test("the sign-flip test with tied magnitudes and ±∞ matches scipy's exact permutation test", arguments: [
        // sf_perm([1, -1, 2, 2, -3, 3, 4, 0]) = 0.3125
        ([1, -1, 2, 2, -3, 3, 4, 0], 0.3125),
        // sf_perm([inf, inf, -1, 2, 3, inf, 0.5]) = 0.046875
        ([.infinity, .infinity, -1, 2, 3, .infinity, 0.5], 0.046875),
        // sf_perm([inf, -inf, 0.3, 0.3, -0.1, inf, 0.7]) = 0.28125
        ([.infinity, -.infinity, 0.3, 0.3, -0.1, .infinity, 0.7], 0.28125),
    ] as [([Double], Double)])
    func signFlipTied(d: [Double], p: Double) {
        #expect(Self.close(ExactTests.signFlip(d), p), "p = \(ExactTests.signFlip(d)), scipy \(p)")
        #expect(ExactTests.signFlip([0, 0]) == 1 && ExactTests.signFlip([]) == 1)
    }

    @Test("paired differences follow the unpaired order: reached by work ratio, unreached behind, then by final error")
    func pairedDifference() {
        #expect(ExactTests.pairedDifference((true, 100), (true, 10)) == 1)
        #expect(ExactTests.pairedDifference((true, 10), (true, 100)) == -1)
        #expect(ExactTests.pairedDifference((true, 7), (true, 7)) == 0)
        #expect(ExactTests.pairedDifference((true, 0), (true, 5)) == -.infinity)
        #expect(ExactTests.pairedDifference((false, 1e-9), (true, 1e6)) == .infinity)
        #expect(ExactTests.pairedDifference((true, 1e6), (false, 1e-9)) == -.infinity)
        #expect(ExactTests.pairedDifference((false, 1e-3), (false, 1e-4)) == .infinity)
        #expect(ExactTests.pairedDifference((false, 1e-4), (false, .nan)) == -.infinity)
        #expect(ExactTests.pairedDifference((false, .nan), (false, .infinity)) == 0)
    }

    @Test("Holm's adjusted p-values on hand examples")
    func holm() {
        // Sorted 0.005, 0.01, 0.03, 0.04 → 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06.
        let adjusted = ExactTests.holm([0.01, 0.04, 0.03, 0.005])
        let expected = [0.03, 0.06, 0.06, 0.02]
        #expect(adjusted.count == 4 && zip(adjusted, expected).allSatisfy { Self.close($0, $1) }, "\(adjusted)")
        // Capped at 1; equal p-values get equal adjustments; an empty family is empty.
        let capped = ExactTests.holm([0.5, 0.6, 0.01])
        #expect(capped[0] == 1 && capped[1] == 1 && Self.close(capped[2], 0.03), "\(capped)")
        #expect(ExactTests.holm([0.02, 0.02]) == [0.04, 0.04] && ExactTests.holm([]).isEmpty)
    }

    @Test("Vargha–Delaney Â₁₂ and the median ratio")
    func effectSize() {
        // Pairs of [3, 4, 2] with [1, 2, 5]: 3 and 4 beat two each, 2 beats one and ties one: (2+2+1.5)/9.
        // stats.mannwhitneyu([3, 4, 2], [1, 2, 5]).statistic / 9 = 0.6111111111111112
        #expect(Self.close(ExactTests.varghaDelaney([3.0, 4, 2], [1.0, 2, 5]), 0.6111111111111112))
        #expect(Self.close(ExactTests.varghaDelaney([1.0, 2, 5], [3.0, 4, 2]), 1 - 0.6111111111111112))
        let gd = [3907.0, 3851, 3938, 3851, 3900, 3910, 3920], lbfgs = [38.0, 36, 39.5, 36, 38, 37, 36]
        #expect(ExactTests.varghaDelaney(gd, lbfgs) == 1 && ExactTests.varghaDelaney(lbfgs, gd) == 0)
        #expect(ExactTests.varghaDelaney([1.0, 1], [1.0]) == 0.5)
        #expect(ExactTests.medianRatio(gd, lbfgs) == 3907.0 / 37)
    }
}
