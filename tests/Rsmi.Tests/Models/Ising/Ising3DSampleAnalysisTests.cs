using System.Numerics;
using Rsmi.Data;
using Rsmi.Models.Ising;

namespace Rsmi.Tests.Models.Ising;

/// <summary>The per-configuration observables of cubic samples against direct sums written out here.</summary>
public class Ising3DSampleAnalysisTests
{
    [Fact]
    public void CubicObservablesAreTheDirectSums()
    {
        const int lx = 4, ly = 3, lz = 2, count = 5;
        var rng = new System.Random(7);
        var data = Enumerable.Range(0, count * lx * ly * lz).Select(_ => rng.Next(2) == 0 ? (sbyte)-1 : (sbyte)1).ToArray();
        var set = new SampleSet(count, [lz, ly, lx], data);
        var series = IsingSampleAnalysis.Measure(set);
        Assert.Null(series.Diagonal);
        int n = lx * ly * lz;
        for (int c = 0; c < count; c++)
        {
            sbyte S(int x, int y, int z) => data[c * n + ((z + lz) % lz * ly + (y + ly) % ly) * lx + (x + lx) % lx];
            long bonds = 0, sum = 0;
            var f = new Complex[3];
            for (int z = 0; z < lz; z++)
            for (int y = 0; y < ly; y++)
            for (int x = 0; x < lx; x++)
            {
                int s = S(x, y, z);
                sum += s;
                bonds += s * (S(x + 1, y, z) + S(x, y + 1, z) + S(x, y, z + 1));
                f[0] += s * Complex.Exp(new Complex(0, 2 * Math.PI * x / lx));
                f[1] += s * Complex.Exp(new Complex(0, 2 * Math.PI * y / ly));
                f[2] += s * Complex.Exp(new Complex(0, 2 * Math.PI * z / lz));
            }
            Assert.Equal(-(double)bonds / n, series.EnergyPerSite[c], 12);
            Assert.Equal((double)bonds / (3 * n), series.NearestNeighbour[c], 12);
            Assert.Equal((double)sum / n, series.Magnetisation[c], 12);
            Assert.Equal((double)sum * sum / n, series.StructureFactorZero[c], 12);
            Assert.Equal(f.Sum(z => z.Magnitude * z.Magnitude) / (3 * n), series.StructureFactorMin[c], 10);
        }
    }

    [Fact]
    public void CubesGetASecondMomentCorrelationLengthAndBoxesDoNot()
    {
        var rng = new System.Random(3);
        SampleSet Set(int[] shape) => new(40, shape, Enumerable.Range(0, 40 * shape.Aggregate(1, (a, b) => a * b)).Select(_ => rng.Next(4) == 0 ? (sbyte)-1 : (sbyte)1).ToArray());
        var cube = IsingSampleAnalysis.Analyse(Set([4, 4, 4]));
        Assert.Contains(cube, o => o.Name == "xi_second_moment");
        Assert.DoesNotContain(cube, o => o.Name == "diagonal_correlation");
        Assert.DoesNotContain(IsingSampleAnalysis.Analyse(Set([2, 4, 4])), o => o.Name == "xi_second_moment");
    }
}
