using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rsmi.Learning.Nn;

/// <summary>
/// Small dense matrix products C = A·B or C += A·B in double precision, the kernel of the batched network passes
/// (<see cref="Mlp.ForwardRows"/>, <see cref="Mlp.BackwardRows"/>) and of the critic's score matrix. B and C are
/// row-major; A is read through strides, A_mk = a[m·sm + k·sk], so that Aᵀ needs no copy. The result is computed in
/// register tiles of 4 rows × 2 vectors of C, each entry summed over k in order with fused multiply-adds
/// (C_mn ← C_mn + A_mk B_kn for k = 0, 1, …), so the result is the same however the rows of C are split among callers.
/// The kernels are compiled optimised from their first call (a learner calls them for a few seconds only, too short for
/// the unoptimised first tier to pay off).
/// </summary>
internal static class Gemm
{
    /// <summary>
    /// C (rows × cols, row stride <paramref name="ldc"/>) = A·B, or C + A·B with <paramref name="accumulate"/>, where A is
    /// rows × inner (A_mk = a[m·sm + k·sk]) and B is inner × cols (row stride <paramref name="ldb"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int rows, int cols, int inner, ReadOnlySpan<double> a, int sm, int sk,
        ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, bool accumulate)
    {
        if (rows == 0 || cols == 0) return;
        // the kernels read and write through unchecked references: check the extent of every operand once
        if (inner > 0 && a.Length < (long)(rows - 1) * sm + (long)(inner - 1) * sk + 1 || inner > 0 && b.Length < (long)(inner - 1) * ldb + cols
            || c.Length < (long)(rows - 1) * ldc + cols || sm < 0 || sk < 0 || ldb < cols || ldc < cols)
            throw new ArgumentException("the matrices are smaller than their shapes and strides say.");
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        int vc = Vector<double>.Count;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + 2 * vc <= cols; j += 2 * vc)
            {
                int i = 0;
                for (; i + 4 <= rows; i += 4) Tile4x2(inner, ref Unsafe.Add(ref ra, i * sm), sm, sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), ldc, accumulate);
                for (; i < rows; i++) Tile1x2(inner, ref Unsafe.Add(ref ra, i * sm), sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), accumulate);
            }
            for (; j + vc <= cols; j += vc)
            {
                int i = 0;
                for (; i + 4 <= rows; i += 4) Tile4x1(inner, ref Unsafe.Add(ref ra, i * sm), sm, sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), ldc, accumulate);
                for (; i < rows; i++) Tile1x1(inner, ref Unsafe.Add(ref ra, i * sm), sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), accumulate);
            }
        }
        for (; j < cols; j++)
            for (int i = 0; i < rows; i++)
            {
                ref double ci = ref Unsafe.Add(ref rc, i * ldc + j);
                double s = accumulate ? ci : 0.0;
                ref double ai = ref Unsafe.Add(ref ra, i * sm);
                for (int k = 0; k < inner; k++) s = Math.FusedMultiplyAdd(Unsafe.Add(ref ai, k * sk), Unsafe.Add(ref rb, k * ldb + j), s);
                ci = s;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> Load(ref double p) => Unsafe.ReadUnaligned<Vector<double>>(ref Unsafe.As<double, byte>(ref p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<double> v, ref double p) => Unsafe.WriteUnaligned(ref Unsafe.As<double, byte>(ref p), v);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2(int inner, ref double a, int sm, int sk, ref double b, int ldb, ref double c, int ldc, bool accumulate)
    {
        int vc = Vector<double>.Count;
        ref double c1 = ref Unsafe.Add(ref c, ldc), c2 = ref Unsafe.Add(ref c, 2 * ldc), c3 = ref Unsafe.Add(ref c, 3 * ldc);
        Vector<double> s00, s01, s10, s11, s20, s21, s30, s31;
        if (accumulate)
        {
            s00 = Load(ref c); s01 = Load(ref Unsafe.Add(ref c, vc));
            s10 = Load(ref c1); s11 = Load(ref Unsafe.Add(ref c1, vc));
            s20 = Load(ref c2); s21 = Load(ref Unsafe.Add(ref c2, vc));
            s30 = Load(ref c3); s31 = Load(ref Unsafe.Add(ref c3, vc));
        }
        else s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector<double>.Zero;
        ref double a1 = ref Unsafe.Add(ref a, sm), a2 = ref Unsafe.Add(ref a, 2 * sm), a3 = ref Unsafe.Add(ref a, 3 * sm);
        for (int k = 0, ak = 0, bk = 0; k < inner; k++, ak += sk, bk += ldb)
        {
            var b0 = Load(ref Unsafe.Add(ref b, bk));
            var b1 = Load(ref Unsafe.Add(ref b, bk + vc));
            var x = new Vector<double>(Unsafe.Add(ref a, ak));
            s00 = Vector.FusedMultiplyAdd(x, b0, s00); s01 = Vector.FusedMultiplyAdd(x, b1, s01);
            x = new Vector<double>(Unsafe.Add(ref a1, ak));
            s10 = Vector.FusedMultiplyAdd(x, b0, s10); s11 = Vector.FusedMultiplyAdd(x, b1, s11);
            x = new Vector<double>(Unsafe.Add(ref a2, ak));
            s20 = Vector.FusedMultiplyAdd(x, b0, s20); s21 = Vector.FusedMultiplyAdd(x, b1, s21);
            x = new Vector<double>(Unsafe.Add(ref a3, ak));
            s30 = Vector.FusedMultiplyAdd(x, b0, s30); s31 = Vector.FusedMultiplyAdd(x, b1, s31);
        }
        Store(s00, ref c); Store(s01, ref Unsafe.Add(ref c, vc));
        Store(s10, ref c1); Store(s11, ref Unsafe.Add(ref c1, vc));
        Store(s20, ref c2); Store(s21, ref Unsafe.Add(ref c2, vc));
        Store(s30, ref c3); Store(s31, ref Unsafe.Add(ref c3, vc));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x2(int inner, ref double a, int sk, ref double b, int ldb, ref double c, bool accumulate)
    {
        int vc = Vector<double>.Count;
        Vector<double> s0 = accumulate ? Load(ref c) : Vector<double>.Zero, s1 = accumulate ? Load(ref Unsafe.Add(ref c, vc)) : Vector<double>.Zero;
        for (int k = 0, ak = 0, bk = 0; k < inner; k++, ak += sk, bk += ldb)
        {
            var x = new Vector<double>(Unsafe.Add(ref a, ak));
            s0 = Vector.FusedMultiplyAdd(x, Load(ref Unsafe.Add(ref b, bk)), s0);
            s1 = Vector.FusedMultiplyAdd(x, Load(ref Unsafe.Add(ref b, bk + vc)), s1);
        }
        Store(s0, ref c); Store(s1, ref Unsafe.Add(ref c, vc));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1(int inner, ref double a, int sm, int sk, ref double b, int ldb, ref double c, int ldc, bool accumulate)
    {
        ref double c1 = ref Unsafe.Add(ref c, ldc), c2 = ref Unsafe.Add(ref c, 2 * ldc), c3 = ref Unsafe.Add(ref c, 3 * ldc);
        Vector<double> s0, s1, s2, s3;
        if (accumulate) { s0 = Load(ref c); s1 = Load(ref c1); s2 = Load(ref c2); s3 = Load(ref c3); }
        else s0 = s1 = s2 = s3 = Vector<double>.Zero;
        ref double a1 = ref Unsafe.Add(ref a, sm), a2 = ref Unsafe.Add(ref a, 2 * sm), a3 = ref Unsafe.Add(ref a, 3 * sm);
        for (int k = 0, ak = 0, bk = 0; k < inner; k++, ak += sk, bk += ldb)
        {
            var b0 = Load(ref Unsafe.Add(ref b, bk));
            s0 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref a, ak)), b0, s0);
            s1 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref a1, ak)), b0, s1);
            s2 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref a2, ak)), b0, s2);
            s3 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref a3, ak)), b0, s3);
        }
        Store(s0, ref c); Store(s1, ref c1); Store(s2, ref c2); Store(s3, ref c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x1(int inner, ref double a, int sk, ref double b, int ldb, ref double c, bool accumulate)
    {
        Vector<double> s0 = accumulate ? Load(ref c) : Vector<double>.Zero;
        for (int k = 0, ak = 0, bk = 0; k < inner; k++, ak += sk, bk += ldb)
            s0 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref a, ak)), Load(ref Unsafe.Add(ref b, bk)), s0);
        Store(s0, ref c);
    }
}
