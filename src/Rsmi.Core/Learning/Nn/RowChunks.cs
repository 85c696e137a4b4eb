namespace Rsmi.Learning.Nn;

/// <summary>
/// Splits the rows of a mini-batch into fixed chunks (independent of the number of threads) processed in
/// parallel; each chunk writes its own partial sums, which are then reduced in chunk order. Results are
/// therefore bit-identical whatever the degree of parallelism.
/// </summary>
public static class RowChunks
{
    /// <summary>Rows per chunk.</summary>
    public const int Rows = 16;

    /// <summary>Number of chunks for <paramref name="rows"/> rows.</summary>
    public static int Count(int rows) => (rows + Rows - 1) / Rows;

    /// <summary>
    /// Runs <paramref name="body"/>(chunk, firstRow, endRow) for every chunk, in parallel with at most
    /// <paramref name="maxDegreeOfParallelism"/> threads (−1: no limit, 1: sequential).
    /// </summary>
    public static void For(int rows, int maxDegreeOfParallelism, Action<int, int, int> body)
    {
        int chunks = Count(rows);
        if (maxDegreeOfParallelism == 1 || chunks == 1)
        {
            for (int c = 0; c < chunks; c++) body(c, c * Rows, Math.Min(rows, (c + 1) * Rows));
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            c => body(c, c * Rows, Math.Min(rows, (c + 1) * Rows)));
    }

    /// <summary>Sets <paramref name="total"/> to the sum of the first <paramref name="chunks"/> partial buffers, added in order.</summary>
    public static void Reduce(double[][] partial, int chunks, Span<double> total)
    {
        partial[0].AsSpan(0, total.Length).CopyTo(total);
        for (int c = 1; c < chunks; c++) System.Numerics.Tensors.TensorPrimitives.Add(total, partial[c].AsSpan(0, total.Length), total);
    }
}
