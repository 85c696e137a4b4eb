namespace Rsmi.Tests.Learning.Ensembles;

/// <summary>
/// Acceptance runs too long for every test run: they run where <c>RSMI_FULL_ACCEPTANCE=1</c> is set and are skipped
/// elsewhere with the reason the test gives (its measured cost, and its measured outcome when that is not yet met).
/// </summary>
public static class FullAcceptance
{
    /// <summary>The environment variable that turns the full acceptance runs on.</summary>
    public const string Variable = "RSMI_FULL_ACCEPTANCE";

    /// <summary>Whether the full acceptance runs are on.</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";
}

/// <summary>A theory that runs only with <c>RSMI_FULL_ACCEPTANCE=1</c>; <paramref name="cost"/> says why it is not run
/// by default.</summary>
public sealed class FullAcceptanceTheoryAttribute : TheoryAttribute
{
    public FullAcceptanceTheoryAttribute(string cost)
    {
        if (!FullAcceptance.Enabled) Skip = $"{cost}; set {FullAcceptance.Variable}=1 to run it.";
    }
}

/// <summary>A fact that runs only with <c>RSMI_FULL_ACCEPTANCE=1</c>; <paramref name="cost"/> says why it is not run
/// by default.</summary>
public sealed class FullAcceptanceFactAttribute : FactAttribute
{
    public FullAcceptanceFactAttribute(string cost)
    {
        if (!FullAcceptance.Enabled) Skip = $"{cost}; set {FullAcceptance.Variable}=1 to run it.";
    }
}
