using System.Numerics.Tensors;
using Rsmi.Random;

namespace Rsmi.Learning.Nn;

/// <summary>
/// A small multilayer perceptron: dense layers y = W x + b with ReLU between them (none after the last
/// layer) and optional inverted dropout after each hidden ReLU. All parameters live in one flat array
/// (<see cref="Parameters"/>) so that optimisers and gradient checks see a single vector: for layer l,
/// first W_l (out × in, row-major), then b_l.
/// <para>
/// A mini-batch is split into fixed chunks of rows processed in parallel, each chunk accumulating into its own
/// gradient buffer (see <see cref="RowChunks"/>); a chunk passes through the network as one tile of rows
/// (<see cref="ForwardRows"/>, <see cref="BackwardRows"/>: matrix products), and single rows have their own passes
/// (<see cref="ForwardRow"/>, <see cref="BackwardRow"/>). The analytic backpropagation is
/// δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ ReLU′(z_l) ⊙ m_l,  ∂/∂W_l = δ_l x_{l−1}ᵀ,  ∂/∂b_l = δ_l.
/// </para>
/// </summary>
public sealed class Mlp
{
    private readonly int[] _weightOffset, _biasOffset, _activationOffset, _maskOffset;

    /// <summary>Widths [input, hidden…, output].</summary>
    public int[] LayerSizes { get; }
    /// <summary>Input width.</summary>
    public int InputSize => LayerSizes[0];
    /// <summary>Output width.</summary>
    public int OutputSize => LayerSizes[^1];
    /// <summary>Number of dense layers.</summary>
    public int Layers => LayerSizes.Length - 1;
    /// <summary>Dropout probability p applied to hidden activations during training (0 = none).</summary>
    public double DropoutRate { get; }
    /// <summary>All weights and biases, layer after layer.</summary>
    public double[] Parameters { get; }
    /// <summary>Length of <see cref="Parameters"/>.</summary>
    public int ParameterCount => Parameters.Length;
    /// <summary>Doubles needed to store one row's activations (input included).</summary>
    public int ActivationSize { get; }
    /// <summary>Number of hidden units (the length of one row's dropout scale vector).</summary>
    public int HiddenUnits { get; }
    /// <summary>Largest layer width (scratch space for backpropagation is 2 × this).</summary>
    public int MaxWidth { get; }

    /// <summary>
    /// A network with the given widths, initialised with He-normal weights (variance 2/fan_in; 1/fan_in
    /// for the linear output layer) and zero biases, drawn from <paramref name="seed"/>.
    /// </summary>
    /// <param name="layerSizes">At least two widths, each ≥ 1.</param>
    /// <param name="dropoutRate">Dropout probability in [0, 1).</param>
    /// <param name="seed">Seed of the initialisation.</param>
    /// <param name="purpose">Distinguishes the streams of several networks built from one seed.</param>
    public Mlp(int[] layerSizes, double dropoutRate, ulong seed, string purpose = "mlp")
    {
        Require.That(layerSizes.Length >= 2, "a network needs an input and an output width.");
        foreach (int s in layerSizes) Require.Positive(s, "layer width");
        Require.That(dropoutRate >= 0 && dropoutRate < 1, $"dropout must be in [0, 1), got {dropoutRate}.");
        LayerSizes = (int[])layerSizes.Clone();
        DropoutRate = dropoutRate;
        int layers = Layers;
        _weightOffset = new int[layers]; _biasOffset = new int[layers];
        _activationOffset = new int[layers + 1]; _maskOffset = new int[layers];
        int p = 0, a = 0, m = 0;
        for (int l = 0; l < layers; l++)
        {
            _weightOffset[l] = p; p += LayerSizes[l + 1] * LayerSizes[l];
            _biasOffset[l] = p; p += LayerSizes[l + 1];
            _activationOffset[l] = a; a += LayerSizes[l];
            _maskOffset[l] = m; if (l < layers - 1) m += LayerSizes[l + 1];
        }
        _activationOffset[layers] = a; a += OutputSize;
        ActivationSize = a; HiddenUnits = m; MaxWidth = LayerSizes.Max();
        Parameters = new double[p];
        var rng = RandomStreams.Create(seed, 0, purpose);
        for (int l = 0; l < layers; l++)
        {
            double sd = Math.Sqrt((l < layers - 1 ? 2.0 : 1.0) / LayerSizes[l]);
            var w = Parameters.AsSpan(_weightOffset[l], LayerSizes[l + 1] * LayerSizes[l]);
            for (int i = 0; i < w.Length; i++) w[i] = sd * rng.NextGaussian();
        }
    }

    /// <summary>The output of one row from its activations.</summary>
    public ReadOnlySpan<double> Output(ReadOnlySpan<double> activations) => activations.Slice(_activationOffset[^1], OutputSize);

    /// <summary>
    /// Draws one row's inverted-dropout scales: 0 with probability p, 1/(1−p) otherwise (all 1 without dropout).
    /// </summary>
    public void DrawDropoutScale<TRandom>(ref TRandom rng, Span<double> scale) where TRandom : struct, IRandomSource
    {
        if (DropoutRate == 0) { scale.Fill(1.0); return; }
        double keep = 1.0 / (1.0 - DropoutRate);
        for (int i = 0; i < scale.Length; i++) scale[i] = rng.NextDouble() < DropoutRate ? 0.0 : keep;
    }

    /// <summary>
    /// Forward pass of one row. <paramref name="activations"/> (length <see cref="ActivationSize"/>)
    /// receives the input, every hidden activation and the output; <paramref name="dropoutScale"/> is
    /// either empty (evaluation: no dropout) or of length <see cref="HiddenUnits"/>.
    /// </summary>
    public void ForwardRow(ReadOnlySpan<double> input, Span<double> activations, ReadOnlySpan<double> dropoutScale)
    {
        input.CopyTo(activations.Slice(0, InputSize));
        ReadOnlySpan<double> p = Parameters;
        int layers = Layers;
        for (int l = 0; l < layers; l++)
        {
            int nIn = LayerSizes[l], nOut = LayerSizes[l + 1];
            ReadOnlySpan<double> x = activations.Slice(_activationOffset[l], nIn);
            Span<double> y = activations.Slice(_activationOffset[l + 1], nOut);
            ReadOnlySpan<double> w = p.Slice(_weightOffset[l], nOut * nIn);
            ReadOnlySpan<double> b = p.Slice(_biasOffset[l], nOut);
            for (int o = 0; o < nOut; o++) y[o] = TensorPrimitives.Dot(w.Slice(o * nIn, nIn), x) + b[o];
            if (l < layers - 1)
            {
                TensorPrimitives.Max(y, 0.0, y);
                if (!dropoutScale.IsEmpty) TensorPrimitives.Multiply(y, dropoutScale.Slice(_maskOffset[l], nOut), y);
            }
        }
    }

    /// <summary>
    /// Writes every layer's Wᵀ (in × out, row-major) into <paramref name="destination"/> (length ≥ <see cref="ParameterCount"/>)
    /// at the offset of W_l in <see cref="Parameters"/>: the layout <see cref="ForwardRows"/> reads. Call it again whenever the
    /// parameters change.
    /// </summary>
    public void TransposeWeights(Span<double> destination)
    {
        ReadOnlySpan<double> p = Parameters;
        for (int l = 0; l < Layers; l++)
        {
            int nIn = LayerSizes[l], nOut = LayerSizes[l + 1], off = _weightOffset[l];
            for (int o = 0; o < nOut; o++)
                for (int i = 0; i < nIn; i++) destination[off + i * nOut + o] = p[off + o * nIn + i];
        }
    }

    /// <summary>
    /// Forward pass of a tile of <paramref name="rows"/> rows at once (matrix products, <see cref="Gemm"/>): the same
    /// values as <see cref="ForwardRow"/> on each row up to rounding. <paramref name="input"/> holds the rows × input
    /// inputs (row-major), read where they are; <paramref name="activations"/> (length ≥ rows × <see cref="ActivationSize"/>)
    /// receives, layer by layer, a rows × width block of each layer's activations after the input's block, which stays
    /// unwritten (see <see cref="OutputRows"/>); <paramref name="dropoutScale"/>
    /// is empty or holds each row's <see cref="HiddenUnits"/> scales (row r at r × <see cref="HiddenUnits"/>), and
    /// <paramref name="transposedWeights"/> is the output of <see cref="TransposeWeights"/> for the current parameters.
    /// </summary>
    public void ForwardRows(int rows, ReadOnlySpan<double> input, Span<double> activations, ReadOnlySpan<double> dropoutScale,
        ReadOnlySpan<double> transposedWeights)
    {
        ReadOnlySpan<double> p = Parameters;
        int layers = Layers, hu = HiddenUnits;
        for (int l = 0; l < layers; l++)
        {
            int nIn = LayerSizes[l], nOut = LayerSizes[l + 1];
            // the first layer reads the input where it is (its block of the activations stays unwritten)
            ReadOnlySpan<double> x = l == 0 ? input.Slice(0, rows * nIn) : activations.Slice(rows * _activationOffset[l], rows * nIn);
            Span<double> y = activations.Slice(rows * _activationOffset[l + 1], rows * nOut);
            ReadOnlySpan<double> b = p.Slice(_biasOffset[l], nOut);
            for (int r = 0; r < rows; r++) b.CopyTo(y.Slice(r * nOut, nOut));
            Gemm.Multiply(rows, nOut, nIn, x, nIn, 1, transposedWeights.Slice(_weightOffset[l], nIn * nOut), nOut, y, nOut, accumulate: true);
            if (l < layers - 1)
            {
                TensorPrimitives.Max(y, 0.0, y);
                if (!dropoutScale.IsEmpty)
                    for (int r = 0; r < rows; r++)
                    {
                        Span<double> yr = y.Slice(r * nOut, nOut);
                        TensorPrimitives.Multiply(yr, dropoutScale.Slice(r * hu + _maskOffset[l], nOut), yr);
                    }
            }
        }
    }

    /// <summary>The rows × output block of a tile's activations written by <see cref="ForwardRows"/>.</summary>
    public ReadOnlySpan<double> OutputRows(ReadOnlySpan<double> activations, int rows) => activations.Slice(rows * _activationOffset[^1], rows * OutputSize);

    /// <summary>
    /// Backward pass of a tile of <paramref name="rows"/> rows (the same sums as <see cref="BackwardRow"/> on each row in
    /// turn, up to rounding), given the tile's <paramref name="input"/> of <see cref="ForwardRows"/>: adds Σ_r ∂(Σ_o g_ro y_ro)/∂θ to <paramref name="parameterGradient"/> and, unless
    /// <paramref name="inputGradient"/> is empty, writes the rows × input ∂/∂x into it. <paramref name="activations"/> and
    /// <paramref name="dropoutScale"/> are those of <see cref="ForwardRows"/>; <paramref name="outputGradient"/> holds
    /// rows × output values; <paramref name="scratch"/> has length ≥ 2 × rows × <see cref="MaxWidth"/>. With δ_l the
    /// rows × width_l matrix of one layer: ∂/∂W_l = δ_lᵀ X_{l−1}, ∂/∂b_l = Σ_r δ_l,r, δ_{l−1} = (δ_l W_l) ⊙ ReLU′ ⊙ m.
    /// </summary>
    /// <remarks>With <paramref name="accumulate"/> false the parameter gradient is written instead of added to: the values
    /// of adding to zeros, without reading or clearing the old ones first.</remarks>
    public void BackwardRows(int rows, ReadOnlySpan<double> input, ReadOnlySpan<double> activations, ReadOnlySpan<double> dropoutScale,
        ReadOnlySpan<double> outputGradient, Span<double> parameterGradient, Span<double> inputGradient, Span<double> scratch, bool accumulate = true)
    {
        ReadOnlySpan<double> p = Parameters;
        int width = rows * MaxWidth, hu = HiddenUnits;
        Span<double> delta = scratch.Slice(0, width), next = scratch.Slice(width, width);
        outputGradient.Slice(0, rows * OutputSize).CopyTo(delta);
        for (int l = Layers - 1; l >= 0; l--)
        {
            int nIn = LayerSizes[l], nOut = LayerSizes[l + 1];
            ReadOnlySpan<double> x = l == 0 ? input.Slice(0, rows * nIn) : activations.Slice(rows * _activationOffset[l], rows * nIn);
            Span<double> d = delta.Slice(0, rows * nOut);
            if (l < Layers - 1)
            {
                // ReLU′ and dropout: y = max(z, 0)·m, so ∂y/∂z = m where y > 0, else 0.
                ReadOnlySpan<double> y = activations.Slice(rows * _activationOffset[l + 1], rows * nOut);
                if (dropoutScale.IsEmpty)
                    for (int i = 0; i < d.Length; i++) d[i] = y[i] > 0 ? d[i] : 0.0;
                else
                    for (int r = 0; r < rows; r++)
                    {
                        ReadOnlySpan<double> m = dropoutScale.Slice(r * hu + _maskOffset[l], nOut);
                        for (int o = 0; o < nOut; o++) d[r * nOut + o] = y[r * nOut + o] > 0 ? d[r * nOut + o] * m[o] : 0.0;
                    }
            }
            Span<double> gw = parameterGradient.Slice(_weightOffset[l], nOut * nIn);
            Span<double> gb = parameterGradient.Slice(_biasOffset[l], nOut);
            if (!accumulate) gb.Clear();
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(gb, d.Slice(r * nOut, nOut), gb);
            Gemm.Multiply(nOut, nIn, rows, d, 1, nOut, x, nIn, gw, nIn, accumulate);
            if (l == 0 && inputGradient.IsEmpty) break;
            Span<double> dx = l == 0 ? inputGradient.Slice(0, rows * nIn) : next.Slice(0, rows * nIn);
            Gemm.Multiply(rows, nIn, nOut, d, nOut, 1, p.Slice(_weightOffset[l], nOut * nIn), nIn, dx, nIn, accumulate: false);
            if (l > 0) { var t = delta; delta = next; next = t; }
        }
    }

    /// <summary>
    /// Backward pass of one row: adds ∂(Σ_o g_o y_o)/∂θ to <paramref name="parameterGradient"/> (length
    /// <see cref="ParameterCount"/>) and, unless <paramref name="inputGradient"/> is empty, writes
    /// ∂/∂x into it. <paramref name="activations"/> and <paramref name="dropoutScale"/> are those of the
    /// forward pass; <paramref name="scratch"/> has length ≥ 2 × <see cref="MaxWidth"/>.
    /// </summary>
    public void BackwardRow(ReadOnlySpan<double> activations, ReadOnlySpan<double> dropoutScale,
        ReadOnlySpan<double> outputGradient, Span<double> parameterGradient, Span<double> inputGradient, Span<double> scratch)
    {
        ReadOnlySpan<double> p = Parameters;
        Span<double> delta = scratch.Slice(0, MaxWidth), next = scratch.Slice(MaxWidth, MaxWidth);
        outputGradient.CopyTo(delta);
        for (int l = Layers - 1; l >= 0; l--)
        {
            int nIn = LayerSizes[l], nOut = LayerSizes[l + 1];
            ReadOnlySpan<double> x = activations.Slice(_activationOffset[l], nIn);
            Span<double> d = delta.Slice(0, nOut);
            if (l < Layers - 1)
            {
                // ReLU′ and dropout: y = max(z, 0)·m, so ∂y/∂z = m where y > 0, else 0.
                ReadOnlySpan<double> y = activations.Slice(_activationOffset[l + 1], nOut);
                for (int o = 0; o < nOut; o++)
                    d[o] = y[o] > 0 ? d[o] * (dropoutScale.IsEmpty ? 1.0 : dropoutScale[_maskOffset[l] + o]) : 0.0;
            }
            Span<double> gw = parameterGradient.Slice(_weightOffset[l], nOut * nIn);
            Span<double> gb = parameterGradient.Slice(_biasOffset[l], nOut);
            TensorPrimitives.Add(gb, d, gb);
            for (int o = 0; o < nOut; o++)
            {
                if (d[o] == 0) continue;
                Span<double> row = gw.Slice(o * nIn, nIn);
                TensorPrimitives.MultiplyAdd(x, d[o], row, row);
            }
            if (l == 0 && inputGradient.IsEmpty) break;
            Span<double> dx = l == 0 ? inputGradient.Slice(0, nIn) : next.Slice(0, nIn);
            dx.Clear();
            ReadOnlySpan<double> w = p.Slice(_weightOffset[l], nOut * nIn);
            for (int o = 0; o < nOut; o++)
                if (d[o] != 0) TensorPrimitives.MultiplyAdd(w.Slice(o * nIn, nIn), d[o], dx, dx);
            if (l > 0) { var t = delta; delta = next; next = t; }
        }
    }
}
