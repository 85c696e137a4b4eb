using Rsmi.Learning.Ensembles;

namespace Rsmi.Learning;

/// <summary>
/// <c>kl-rbm</c>: a plain RBM trained by contrastive divergence on the V windows alone, its hidden units' weights
/// exported as filters, for comparison with the RSMI filters (<see cref="KlRbmFilterLearner"/>). It maximises the
/// likelihood of V, not I(H:E), so it does not learn the rules of the RG flow.
/// </summary>
public sealed class KlRbmLearnerEntry : LearnerEntry<KlRbmOptions>
{
    internal KlRbmLearnerEntry() { }

    /// <inheritdoc />
    public override string Name => "kl-rbm";

    /// <inheritdoc />
    public override string Description => "a plain RBM trained on V alone; its hidden units' weights as filters, for comparison";

    /// <inheritdoc />
    public override IReadOnlyList<LearnerOption> Options { get; } =
    [
        new("kl-rbm-updates", LearnerOptionKind.Integer, "Mini-batch updates of the KL-trained RBM."),
        new("kl-rbm-learning-rate", LearnerOptionKind.Number, "Adam learning rate of the KL-trained RBM."),
        new("kl-rbm-cd", LearnerOptionKind.Integer, "Gibbs steps k of CD-k."),
        new("kl-rbm-l2", LearnerOptionKind.Number, "L2 penalty on the weights."),
    ];

    /// <summary>The defaults, <see cref="KlRbmOptions"/> as it stands, for every use.</summary>
    public override KlRbmOptions Defaults(LearnerUse use) => new();

    private protected override KlRbmOptions Read(OptionValues values, KlRbmOptions baseline, LearnerContext context)
    {
        int updates = values.Integer("kl-rbm-updates", baseline.Updates);
        double rate = values.Number("kl-rbm-learning-rate", baseline.LearningRate);
        int cd = values.Integer("kl-rbm-cd", baseline.CdSteps);
        double l2 = values.Number("kl-rbm-l2", baseline.L2);
        Require.Positive(updates, values.NameOf("kl-rbm-updates"));
        Require.Positive(cd, values.NameOf("kl-rbm-cd"));
        Require.Positive(rate, values.NameOf("kl-rbm-learning-rate"));
        Require.That(l2 >= 0, $"{values.NameOf("kl-rbm-l2")} must be non-negative, got {l2}.");
        return baseline with { Updates = updates, LearningRate = rate, CdSteps = cd, L2 = l2 };
    }

    private protected override IFilterLearner Create(KlRbmOptions options, int stride) => new KlRbmFilterLearner(options, stride);
}
