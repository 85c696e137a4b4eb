using Rsmi.Models.Ising;
using Rsmi.Random;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Models.Ising;

/// <summary>
/// The operator tables against the hand-written sums of <see cref="EvenOperators.Measure"/> and
/// <see cref="OddOperators.Measure"/>, and the local fields against the change of each operator when one spin flips.
/// </summary>
public class OperatorStencilTests
{
    private static sbyte[] RandomConfiguration(int sites, ulong seed)
    {
        var rng = RandomStreams.Create(seed, 0, "stencil-test");
        var s = new sbyte[sites];
        for (int i = 0; i < sites; i++) s[i] = (rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
        return s;
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(7, 9)]
    [InlineData(16, 12)]
    public void TermTablesGiveTheSumsOfTheHandWrittenOperators(int lx, int ly)
    {
        var even = new OperatorStencil(EvenOperators.Terms, lx, ly);
        var odd = new OperatorStencil(OddOperators.Terms, lx, ly);
        var a = new double[EvenOperators.Count];
        var b = new double[EvenOperators.Count];
        var c = new double[OddOperators.Count];
        var d = new double[OddOperators.Count];
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var s = RandomConfiguration(lx * ly, seed);
            EvenOperators.Measure(s, lx, ly, a);
            even.Values(s, b);
            Assert.Equal(a, b);
            OddOperators.Measure(s, lx, ly, c);
            odd.Values(s, d);
            Assert.Equal(c, d);
            // Odd operators change sign with every spin, even ones do not.
            var flipped = s.Select(v => (sbyte)-v).ToArray();
            OddOperators.Measure(flipped, lx, ly, d);
            Assert.Equal(c.Select(v => -v), d);
        }
    }

    [Fact]
    public void OddOperatorsCountTheirTermsOnTheOrderedState()
    {
        const int l = 8;
        var up = Enumerable.Repeat((sbyte)1, l * l).ToArray();
        var values = new double[OddOperators.Count];
        OddOperators.Measure(up, l, l, values);
        Assert.Equal(new double[] { 64, 4 * 64, 2 * 64, 4 * 64, 64 }, values);
    }

    [Theory]
    [InlineData(6, 6)]
    [InlineData(8, 7)]
    public void FlippingOneSpinChangesEachOperatorByMinusTwoSpinTimesField(int lx, int ly)
    {
        foreach (var terms in new[] { EvenOperators.Terms, OddOperators.Terms })
        {
            var stencil = new OperatorStencil(terms, lx, ly);
            int p = terms.Count;
            var s = RandomConfiguration(lx * ly, 42);
            var before = new double[p];
            var after = new double[p];
            var g = new int[p];
            var sumSpinField = new double[p];
            stencil.Values(s, before);
            for (int i = 0; i < s.Length; i++)
            {
                stencil.LocalFields(s, i, g);
                for (int a = 0; a < p; a++)
                {
                    Assert.InRange(Math.Abs(g[a]), 0, stencil.MaxField(a));
                    sumSpinField[a] += s[i] * g[a];
                }
                s[i] = (sbyte)-s[i];
                stencil.Values(s, after);
                s[i] = (sbyte)-s[i];
                for (int a = 0; a < p; a++) Assert.Equal(-2.0 * s[i] * g[a], after[a] - before[a]);
            }
            // Every term is counted once per spin it holds: Σ_i s_i g_α(i) = (spins per term) · S_α.
            for (int a = 0; a < p; a++) Assert.Equal(terms[a][0].Length * before[a], sumSpinField[a]);
        }
    }

    [Fact]
    public void ATermThatWrapsOntoItselfIsRejected()
    {
        var e = Assert.Throws<RsmiInputException>(() => new OperatorStencil(EvenOperators.Terms, 3, 3));
        Assert.Contains("wraps onto itself on a 3×3 lattice", e.Message);
        _ = new OperatorStencil(EvenOperators.Terms.Take(4).ToArray(), 3, 3);
    }
}
