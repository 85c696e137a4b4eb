using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rsmi.Learning.Nn;

/// <summary>
/// Small dense matrix products C = A·B or C += A·B in double precision, the kernel of the batched network passes
/// (<see cref="Mlp.ForwardRows"/>, <see cref="Mlp.BackwardRows"/>) and of the critic's score matrix. B and C are
/// row-major; A is read through strides, A_mk = a[m·sm + k·sk], so that Aᵀ needs no copy. The result is computed in
/// register tiles (4 rows × 32, 4 × 16 and 8 × 8 columns on 512-bit vectors where the processor has them, then 4 rows ×
/// 2 and 1 <see cref="Vector{T}"/>, then scalars), each entry summed over k in order with fused multiply-adds
/// (C_mn ← C_mn + A_mk B_kn for k = 0, 1, …), so the result is the same to the bit whichever tile computed it and
/// however the rows of C are split among callers.
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
        if (Vector512.IsHardwareAccelerated && Vector<double>.Count < Vector512<double>.Count)
        {
            // the same tiles on 512-bit vectors where the processor has them (Vector<T> stays at 256 bits there): half the
            // instructions per multiply-add, and each entry is still summed over k in order, so the result is the same
            for (; j + 32 <= cols; j += 32)
            {
                int i = 0;
                for (; i + 4 <= rows; i += 4) Tile4x4Wide(inner, ref Unsafe.Add(ref ra, i * sm), sm, sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), ldc, accumulate);
                for (; i < rows; i++)
                {
                    Tile1x2Wide(inner, ref Unsafe.Add(ref ra, i * sm), sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), accumulate);
                    Tile1x2Wide(inner, ref Unsafe.Add(ref ra, i * sm), sk, ref Unsafe.Add(ref rb, j + 16), ldb, ref Unsafe.Add(ref rc, i * ldc + j + 16), accumulate);
                }
            }
            for (; j + 16 <= cols; j += 16)
            {
                int i = 0;
                for (; i + 4 <= rows; i += 4) Tile4x2Wide(inner, ref Unsafe.Add(ref ra, i * sm), sm, sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), ldc, accumulate);
                for (; i < rows; i++) Tile1x2Wide(inner, ref Unsafe.Add(ref ra, i * sm), sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), accumulate);
            }
            if (j + 8 <= cols)
            {
                int i = 0;
                for (; i + 8 <= rows; i += 8) Tile8x1Wide(inner, ref Unsafe.Add(ref ra, i * sm), sm, sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), ldc, accumulate);
                for (; i < rows; i++) Tile1x1Wide(inner, ref Unsafe.Add(ref ra, i * sm), sk, ref Unsafe.Add(ref rb, j), ldb, ref Unsafe.Add(ref rc, i * ldc + j), accumulate);
                j += 8;
            }
        }
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> LoadWide(ref double p) => Unsafe.ReadUnaligned<Vector512<double>>(ref Unsafe.As<double, byte>(ref p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreWide(Vector512<double> v, ref double p) => Unsafe.WriteUnaligned(ref Unsafe.As<double, byte>(ref p), v);

    /// <summary><see cref="Tile4x2"/> on 512-bit vectors: 4 rows × 16 columns of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2Wide(int inner, ref double a, int sm, int sk, ref double b, int ldb, ref double c, int ldc, bool accumulate)
    {
        ref double c1 = ref Unsafe.Add(ref c, ldc), c2 = ref Unsafe.Add(ref c, 2 * ldc), c3 = ref Unsafe.Add(ref c, 3 * ldc);
        Vector512<double> s00, s01, s10, s11, s20, s21, s30, s31;
        if (accumulate)
        {
            s00 = LoadWide(ref c); s01 = LoadWide(ref Unsafe.Add(ref c, 8));
            s10 = LoadWide(ref c1); s11 = LoadWide(ref Unsafe.Add(ref c1, 8));
            s20 = LoadWide(ref c2); s21 = LoadWide(ref Unsafe.Add(ref c2, 8));
            s30 = LoadWide(ref c3); s31 = LoadWide(ref Unsafe.Add(ref c3, 8));
        }
        else s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector512<double>.Zero;
        ref double a1 = ref Unsafe.Add(ref a, sm), a2 = ref Unsafe.Add(ref a, 2 * sm), a3 = ref Unsafe.Add(ref a, 3 * sm);
        for (int k = 0, ak = 0, bk = 0; k < inner; k++, ak += sk, bk += ldb)
        {
            var b0 = LoadWide(ref Unsafe.Add(ref b, bk));
            var b1 = LoadWide(ref Unsafe.Add(ref b, bk + 8));
            var x = Vector512.Create(Unsafe.Add(ref a, ak));
            s00 = Vector512.FusedMultiplyAdd(x, b0, s00); s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
            x = Vector512.Create(Unsafe.Add(ref a1, ak));
            s10 = Vector512.FusedMultiplyAdd(x, b0, s10); s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
            x = Vector512.Create(Unsafe.Add(ref a2, ak));
            s20 = Vector512.FusedMultiplyAdd(x, b0, s20); s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
            x = Vector512.Create(Unsafe.Add(ref a3, ak));
            s30 = Vector512.FusedMultiplyAdd(x, b0, s30); s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
        }
        StoreWide(s00, ref c); StoreWide(s01, ref Unsafe.Add(ref c, 8));
        StoreWide(s10, ref c1); StoreWide(s11, ref Unsafe.Add(ref c1, 8));
        StoreWide(s20, ref c2); StoreWide(s21, ref Unsafe.Add(ref c2, 8));
        StoreWide(s30, ref c3); StoreWide(s31, ref Unsafe.Add(ref c3, 8));
    }

    /// <summary>4 rows × 32 columns of C on 512-bit vectors (16 accumulators: the processors with 512-bit vectors have 32
    /// vector registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4Wide(int inner, ref double a, int sm, int sk, ref double b, int ldb, ref double c, int ldc, bool accumulate)
    {
        ref double c1 = ref Unsafe.Add(ref c, ldc), c2 = ref Unsafe.Add(ref c, 2 * ldc), c3 = ref Unsafe.Add(ref c, 3 * ldc);
        Vector512<double> s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33;
        if (accumulate)
        {
            s00 = LoadWide(ref c); s01 = LoadWide(ref Unsafe.Add(ref c, 8)); s02 = LoadWide(ref Unsafe.Add(ref c, 16)); s03 = LoadWide(ref Unsafe.Add(ref c, 24));
            s10 = LoadWide(ref c1); s11 = LoadWide(ref Unsafe.Add(ref c1, 8)); s12 = LoadWide(ref Unsafe.Add(ref c1, 16)); s13 = LoadWide(ref Unsafe.Add(ref c1, 24));
            s20 = LoadWide(ref c2); s21 = LoadWide(ref Unsafe.Add(ref c2, 8)); s22 = LoadWide(ref Unsafe.Add(ref c2, 16)); s23 = LoadWide(ref Unsafe.Add(ref c2, 24));
            s30 = LoadWide(ref c3); s31 = LoadWide(ref Unsafe.Add(ref c3, 8)); s32 = LoadWide(ref Unsafe.Add(ref c3, 16)); s33 = LoadWide(ref Unsafe.Add(ref c3, 24));
        }
        else s00 = s01 = s02 = s03 = s10 = s11 = s12 = s13 = s20 = s21 = s22 = s23 = s30 = s31 = s32 = s33 = Vector512<double>.Zero;
        ref double a1 = ref Unsafe.Add(ref a, sm), a2 = ref Unsafe.Add(ref a, 2 * sm), a3 = ref Unsafe.Add(ref a, 3 * sm);
        for (int k = 0, ak = 0, bk = 0; k < inner; k++, ak += sk, bk += ldb)
        {
            var b0 = LoadWide(ref Unsafe.Add(ref b, bk));
            var b1 = LoadWide(ref Unsafe.Add(ref b, bk + 8));
            var b2 = LoadWide(ref Unsafe.Add(ref b, bk + 16));
            var b3 = LoadWide(ref Unsafe.Add(ref b, bk + 24));
            var x = Vector512.Create(Unsafe.Add(ref a, ak));
            s00 = Vector512.FusedMultiplyAdd(x, b0, s00); s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
            s02 = Vector512.FusedMultiplyAdd(x, b2, s02); s03 = Vector512.FusedMultiplyAdd(x, b3, s03);
            x = Vector512.Create(Unsafe.Add(ref a1, ak));
            s10 = Vector512.FusedMultiplyAdd(x, b0, s10); s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
            s12 = Vector512.FusedMultiplyAdd(x, b2, s12); s13 = Vector512.FusedMultiplyAdd(x, b3, s13);
            x = Vector512.Create(Unsafe.Add(ref a2, ak));
            s20 = Vector512.FusedMultiplyAdd(x, b0, s20); s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
            s22 = Vector512.FusedMultiplyAdd(x, b2, s22); s23 = Vector512.FusedMultiplyAdd(x, b3, s23);
            x = Vector512.Create(Unsafe.Add(ref a3, ak));
            s30 = Vector512.FusedMultiplyAdd(x, b0, s30); s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
            s32 = Vector512.FusedMultiplyAdd(x, b2, s32); s33 = Vector512.FusedMultiplyAdd(x, b3, s33);
        }
        StoreWide(s00, ref c); StoreWide(s01, ref Unsafe.Add(ref c, 8)); StoreWide(s02, ref Unsafe.Add(ref c, 16)); StoreWide(s03, ref Unsafe.Add(ref c, 24));
        StoreWide(s10, ref c1); StoreWide(s11, ref Unsafe.Add(ref c1, 8)); StoreWide(s12, ref Unsafe.Add(ref c1, 16)); StoreWide(s13, ref Unsafe.Add(ref c1, 24));
        StoreWide(s20, ref c2); StoreWide(s21, ref Unsafe.Add(ref c2, 8)); StoreWide(s22, ref Unsafe.Add(ref c2, 16)); StoreWide(s23, ref Unsafe.Add(ref c2, 24));
        StoreWide(s30, ref c3); StoreWide(s31, ref Unsafe.Add(ref c3, 8)); StoreWide(s32, ref Unsafe.Add(ref c3, 16)); StoreWide(s33, ref Unsafe.Add(ref c3, 24));
    }

    /// <summary>8 rows × 8 columns of C on 512-bit vectors (products with few columns: the critic's embedding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x1Wide(int inner, ref double a, int sm, int sk, ref double b, int ldb, ref double c, int ldc, bool accumulate)
    {
        ref double c1 = ref Unsafe.Add(ref c, ldc), c2 = ref Unsafe.Add(ref c, 2 * ldc), c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref double c4 = ref Unsafe.Add(ref c, 4 * ldc), c5 = ref Unsafe.Add(ref c, 5 * ldc), c6 = ref Unsafe.Add(ref c, 6 * ldc), c7 = ref Unsafe.Add(ref c, 7 * ldc);
        Vector512<double> s0, s1, s2, s3, s4, s5, s6, s7;
        if (accumulate)
        {
            s0 = LoadWide(ref c); s1 = LoadWide(ref c1); s2 = LoadWide(ref c2); s3 = LoadWide(ref c3);
            s4 = LoadWide(ref c4); s5 = LoadWide(ref c5); s6 = LoadWide(ref c6); s7 = LoadWide(ref c7);
        }
        else s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = Vector512<double>.Zero;
        ref double a1 = ref Unsafe.Add(ref a, sm), a2 = ref Unsafe.Add(ref a, 2 * sm), a3 = ref Unsafe.Add(ref a, 3 * sm);
        ref double a4 = ref Unsafe.Add(ref a, 4 * sm), a5 = ref Unsafe.Add(ref a, 5 * sm), a6 = ref Unsafe.Add(ref a, 6 * sm), a7 = ref Unsafe.Add(ref a, 7 * sm);
        for (int k = 0, ak = 0, bk = 0; k < inner; k++, ak += sk, bk += ldb)
        {
            var b0 = LoadWide(ref Unsafe.Add(ref b, bk));
            s0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, ak)), b0, s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a1, ak)), b0, s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a2, ak)), b0, s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a3, ak)), b0, s3);
            s4 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a4, ak)), b0, s4);
            s5 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a5, ak)), b0, s5);
            s6 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a6, ak)), b0, s6);
            s7 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a7, ak)), b0, s7);
        }
        StoreWide(s0, ref c); StoreWide(s1, ref c1); StoreWide(s2, ref c2); StoreWide(s3, ref c3);
        StoreWide(s4, ref c4); StoreWide(s5, ref c5); StoreWide(s6, ref c6); StoreWide(s7, ref c7);
    }

    /// <summary>1 row × 8 columns of C on 512-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x1Wide(int inner, ref double a, int sk, ref double b, int ldb, ref double c, bool accumulate)
    {
        Vector512<double> s0 = accumulate ? LoadWide(ref c) : Vector512<double>.Zero;
        for (int k = 0, ak = 0, bk = 0; k < inner; k++, ak += sk, bk += ldb)
            s0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, ak)), LoadWide(ref Unsafe.Add(ref b, bk)), s0);
        StoreWide(s0, ref c);
    }

    /// <summary><see cref="Tile1x2"/> on 512-bit vectors: 1 row × 16 columns of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x2Wide(int inner, ref double a, int sk, ref double b, int ldb, ref double c, bool accumulate)
    {
        Vector512<double> s0 = accumulate ? LoadWide(ref c) : Vector512<double>.Zero, s1 = accumulate ? LoadWide(ref Unsafe.Add(ref c, 8)) : Vector512<double>.Zero;
        for (int k = 0, ak = 0, bk = 0; k < inner; k++, ak += sk, bk += ldb)
        {
            var x = Vector512.Create(Unsafe.Add(ref a, ak));
            s0 = Vector512.FusedMultiplyAdd(x, LoadWide(ref Unsafe.Add(ref b, bk)), s0);
            s1 = Vector512.FusedMultiplyAdd(x, LoadWide(ref Unsafe.Add(ref b, bk + 8)), s1);
        }
        StoreWide(s0, ref c); StoreWide(s1, ref Unsafe.Add(ref c, 8));
    }

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
