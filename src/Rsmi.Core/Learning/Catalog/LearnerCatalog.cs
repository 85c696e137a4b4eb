namespace Rsmi.Learning;

/// <summary>
/// Every learner of RSMI filters, registered once: <c>rsmi learn --estimator</c>, <c>rsmi flow --estimator</c> (the
/// learners that <see cref="LearnerEntry.LearnsFlowRules"/>) and a study's estimators all take their names, options
/// and defaults from here. A new learner is an <see cref="LearnerEntry{TOptions}"/> with an
/// <see cref="Ensembles.IFilterLearner"/>, added to <see cref="All"/>; its option keys start with its name.
/// </summary>
public static class LearnerCatalog
{
    /// <summary>The paper's RSMI network.</summary>
    public static RbmLearnerEntry Rbm { get; } = new();
    /// <summary>The neural variational estimator (RSMI-NE).</summary>
    public static InfoNceLearnerEntry InfoNce { get; } = new();
    /// <summary>The KL-trained RBM, for comparison.</summary>
    public static KlRbmLearnerEntry KlRbm { get; } = new();

    /// <summary>Every learner, in the order help texts list them.</summary>
    public static IReadOnlyList<LearnerEntry> All { get; } = [Rbm, InfoNce, KlRbm];

    /// <summary>The learner called <paramref name="name"/>, or null.</summary>
    public static LearnerEntry? Find(string name) => All.FirstOrDefault(l => l.Name == name);

    /// <summary>The learner that has the option <paramref name="key"/>, or null.</summary>
    public static LearnerEntry? OwnerOf(string key) => All.FirstOrDefault(l => l.HasOption(key));
}
