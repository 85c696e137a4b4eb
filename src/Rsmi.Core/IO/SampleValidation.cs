namespace Rsmi.IO;

/// <summary>Checks shared by the sample-file readers.</summary>
internal static class SampleValidation
{
    /// <summary>Throws unless every value is +1 or −1, naming the file, the first offending configuration, site and value.</summary>
    public static void CheckSpins(ReadOnlySpan<sbyte> data, int sites, string fileName)
    {
        int bad = IndexOfNonSpin(data);
        if (bad < 0) return;
        int configuration = bad / sites, site = bad % sites;
        int others = 0;
        for (int i = bad; i < data.Length; i++) if (data[i] != 1 && data[i] != -1) others++;
        throw new RsmiInputException(
            $"'{fileName}' holds the value {data[bad]} (configuration {configuration}, site {site}; {others} such value{(others == 1 ? "" : "s")} in all), but sample files hold only +1 and -1.");
    }

    /// <summary>Index of the first value that is neither +1 nor −1, or −1.</summary>
    public static int IndexOfNonSpin(ReadOnlySpan<sbyte> data) => data.IndexOfAnyExcept((sbyte)1, (sbyte)-1);
}
