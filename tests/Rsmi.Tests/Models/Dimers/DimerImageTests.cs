using Rsmi.Data;
using Rsmi.Models.Dimers;
using Rsmi.Random;

namespace Rsmi.Tests.Models.Dimers;

public class DimerImageTests
{
    [Fact]
    public void PixelsFollowTheLayoutOfAlgorithmSection8()
    {
        var lattice = new DimerLattice(4);
        var covering = lattice.Columnar();                        // horizontal dimers (i,0)-(i,1) and (i,2)-(i,3)
        var vertex = Enumerable.Range(0, 16).Select(k => (sbyte)(k % 3 == 0 ? 1 : -1)).ToArray();
        var face = Enumerable.Range(0, 16).Select(k => (sbyte)(k % 5 == 0 ? -1 : 1)).ToArray();
        var image = DimerImage.Encode(covering, vertex, face);
        Assert.Equal(64, image.Length);
        for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(vertex[i * 4 + j], image[(2 * i) * 8 + 2 * j]);
            Assert.Equal(face[i * 4 + j], image[(2 * i + 1) * 8 + 2 * j + 1]);
            Assert.Equal(j % 2 == 0 ? 1 : -1, image[(2 * i) * 8 + 2 * j + 1]);   // horizontal bond (i,j)-(i,j+1)
            Assert.Equal(-1, image[(2 * i + 1) * 8 + 2 * j]);                     // no vertical dimers
        }
        Assert.Equal(8, image.Count(v => v == 1) - vertex.Count(v => v == 1) - face.Count(v => v == 1));
    }

    [Theory]
    [InlineData(DimerBoundary.Periodic)]
    [InlineData(DimerBoundary.Open)]
    public void EncodeThenDecodeGivesBackCoveringAndNoise(DimerBoundary boundary)
    {
        var lattice = new DimerLattice(8, boundary);
        var sampler = DimerWormSampler.Create(lattice, 5, 0.7);
        var image = new sbyte[256];
        for (int k = 0; k < 20; k++)
        {
            sampler.Run(7);
            sampler.CopyConfiguration(image);
            var decoded = DimerImage.Decode(lattice, image);
            Assert.Equal(sampler.Directions.ToArray(), decoded.Covering.Directions.ToArray());
            var (v, f) = sampler.NoiseSpinsOfCurrentState();
            Assert.Equal(v, decoded.VertexSpins);
            Assert.Equal(f, decoded.FaceSpins);
            Assert.Equal(image, DimerImage.Encode(decoded.Covering, decoded.VertexSpins, decoded.FaceSpins));
        }
    }

    [Fact]
    public void WithoutNoiseTheNoisePixelsHoldPlusOne()
    {
        var lattice = new DimerLattice(6);
        var sampler = DimerWormSampler.Create(lattice, 1, null);
        sampler.Run(50);
        var image = new sbyte[144];
        sampler.CopyConfiguration(image);
        for (int r = 0; r < 12; r++)
        for (int c = 0; c < 12; c++)
            if (r % 2 == c % 2) Assert.Equal(1, image[r * 12 + c]);
        Assert.Equal(18, image.Count(v => v == 1) - 72);                         // L²/2 dimers besides the 2L² noise pixels
    }

    [Fact]
    public void CopyingTheSameStateTwiceGivesTheSameNoise()
    {
        var sampler = DimerWormSampler.Create(new DimerLattice(4), 2, 0.0);
        sampler.Step();
        var a = new sbyte[64]; var b = new sbyte[64]; var c = new sbyte[64];
        sampler.CopyConfiguration(a); sampler.CopyConfiguration(b);
        Assert.Equal(a, b);
        sampler.Step();
        sampler.CopyConfiguration(c);
        Assert.NotEqual(a.Where((_, k) => (k / 8) % 2 == (k % 8) % 2), c.Where((_, k) => (k / 8) % 2 == (k % 8) % 2));
    }

    [Fact]
    public void ImagesThatAreNotCoveringsAreRejected()
    {
        var lattice = new DimerLattice(4);
        var image = DimerImage.Encode(lattice.Columnar());
        image[1 * 8 + 0] = 1;                                    // add vertical dimer (0,0)-(1,0): sites doubly covered
        var e = Assert.Throws<RsmiInputException>(() => DimerImage.Decode(lattice, image));
        Assert.Contains("not a fully packed covering", e.Message);
        var empty = Enumerable.Repeat((sbyte)-1, 64).ToArray();
        Assert.Throws<RsmiInputException>(() => DimerImage.Decode(lattice, empty));
        var bad = DimerImage.Encode(lattice.Columnar()); bad[0] = 0;
        Assert.Contains("not +1 or -1", Assert.Throws<RsmiInputException>(() => DimerImage.Decode(lattice, bad)).Message);
        var open = new DimerLattice(4, DimerBoundary.Open);
        var wrapped = DimerImage.Encode(new DimerCovering(lattice, ShiftedColumnar(4)));   // uses the wrap bonds (i,3)-(i,0)
        Assert.Throws<RsmiInputException>(() => DimerImage.Decode(open, wrapped));
        Assert.Equal(ShiftedColumnar(4), DimerImage.Decode(lattice, wrapped).Covering.Directions.ToArray());
    }

    [Fact]
    public void SampleSetsCarryTheirLatticeInShapeAndMetadata()
    {
        var image = DimerImage.Encode(new DimerLattice(4, DimerBoundary.Open).Columnar());
        var set = new SampleSet(1, [8, 8], image);
        set.Metadata.Set("boundary", "open");
        Assert.Equal(DimerBoundary.Open, DimerImage.LatticeOf(set).Boundary);
        Assert.Equal(4, DimerImage.Decode(set, 0).Covering.L);
        Assert.Throws<RsmiInputException>(() => DimerImage.LatticeOf(new SampleSet(1, [6, 8], new sbyte[48]))); 
    }

    private static byte[] ShiftedColumnar(int l)
    {
        var d = new byte[l * l];
        for (int s = 0; s < d.Length; s++) d[s] = (byte)((s % l & 1) == 1 ? DimerLattice.Right : DimerLattice.Left);
        return d;
    }
}
