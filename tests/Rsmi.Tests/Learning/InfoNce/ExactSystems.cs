using Rsmi.Data;
using Rsmi.Random;

namespace Rsmi.Tests.Learning.InfoNce;

/// <summary>
/// Exact Boltzmann distributions of small Ising systems by enumeration, exact samples drawn from them, and the exact
/// I_Λ(H:E) of an N_h = 1 filter with its gradient (test data for the neural estimator).
/// </summary>
internal static class ExactSystems
{
    /// <summary>Boltzmann probabilities of all 2^N configurations of a ring (site i is +1 when bit i is set).</summary>
    public static double[] Ring(int n, double coupling)
    {
        var p = new double[1 << n];
        for (int c = 0; c < p.Length; c++)
        {
            int e = 0;
            for (int i = 0; i < n; i++) e += Spin(c, i) * Spin(c, (i + 1) % n);
            p[c] = Math.Exp(coupling * e);
        }
        return Normalise(p);
    }

    /// <summary>Boltzmann probabilities of all 2^(L²) configurations of an L×L torus at temperature T (site x + L y is bit x + L y).</summary>
    public static double[] Torus(int l, double temperature)
    {
        var p = new double[1 << (l * l)];
        var energies = new Dictionary<int, int>();
        for (int c = 0; c < p.Length; c++)
        {
            int e = 0;
            for (int y = 0; y < l; y++)
                for (int x = 0; x < l; x++)
                {
                    int s = Spin(c, x + l * y);
                    e += s * Spin(c, (x + 1) % l + l * y) + s * Spin(c, x + l * ((y + 1) % l));
                }
            p[c] = Math.Exp(e / temperature);
            energies[-e] = energies.GetValueOrDefault(-e) + 1;
        }
        Density = energies;
        return Normalise(p);
    }

    /// <summary>Density of states of the last enumerated torus, by energy.</summary>
    public static Dictionary<int, int> Density { get; private set; } = new();

    public static int Spin(int c, int i) => ((c >> i) & 1) == 1 ? 1 : -1;

    private static double[] Normalise(double[] p)
    {
        double z = p.Sum();
        for (int i = 0; i < p.Length; i++) p[i] /= z;
        return p;
    }

    /// <summary>Exact samples of the enumerated distribution, as a SampleSet of the given shape.</summary>
    public static SampleSet Sample(double[] p, int[] shape, int count, ulong seed)
    {
        int sites = shape.Aggregate(1, (a, b) => a * b);
        var cdf = new double[p.Length];
        double acc = 0;
        for (int i = 0; i < p.Length; i++) { acc += p[i]; cdf[i] = acc; }
        var rng = RandomStreams.Create(seed, 0, "exact-sample");
        var data = new sbyte[count * sites];
        for (int n = 0; n < count; n++)
        {
            double u = rng.NextDouble() * acc;
            int c = Array.BinarySearch(cdf, u);
            if (c < 0) c = ~c;
            c = Math.Min(c, p.Length - 1);
            for (int i = 0; i < sites; i++) data[n * sites + i] = (sbyte)Spin(c, i);
        }
        return new SampleSet(count, shape, data);
    }

    /// <summary>The joint table P(e, v) over the given site lists, indexed e·2^|V| + v (bit i of v is site visible[i]).</summary>
    public static double[] Joint(double[] p, int[] visible, int[] environment)
    {
        var t = new double[1 << (visible.Length + environment.Length)];
        for (int c = 0; c < p.Length; c++)
        {
            int v = 0, e = 0;
            for (int i = 0; i < visible.Length; i++) if (((c >> visible[i]) & 1) == 1) v |= 1 << i;
            for (int i = 0; i < environment.Length; i++) if (((c >> environment[i]) & 1) == 1) e |= 1 << i;
            t[(e << visible.Length) | v] += p[c];
        }
        return t;
    }

    /// <summary>
    /// Exact I_Λ(H:E) in nats for one hidden unit with P(h=+1|v) = σ(2(λ·v + c)), from the joint table:
    /// I = Σ_e P(e) Σ_h q_h(e) log q_h(e) − Σ_h P(h) log P(h), q_+(e) = Σ_v P(e,v) σ(2a_v) / P(e).
    /// With <paramref name="gradient"/> (length |V| + 1: λ then c) fills ∂I/∂θ =
    /// Σ_{e,v} P(e,v) ∂s_v/∂θ [logit q_+(e) − logit P(+)], ∂s_v/∂a = 2 s_v (1 − s_v).
    /// </summary>
    public static double FilterInformation(double[] joint, int nv, double[] lambda, double bias, double[]? gradient = null)
    {
        int nvConf = 1 << nv, neConf = joint.Length / nvConf;
        var s = new double[nvConf];
        var ds = new double[nvConf];
        for (int v = 0; v < nvConf; v++)
        {
            double a = bias;
            for (int i = 0; i < nv; i++) a += lambda[i] * (((v >> i) & 1) == 1 ? 1 : -1);
            s[v] = 1.0 / (1.0 + Math.Exp(-2 * a));
            ds[v] = 2 * s[v] * (1 - s[v]);
        }
        double info = 0, pUp = 0;
        var logitQ = new double[neConf];
        for (int e = 0; e < neConf; e++)
        {
            double pe = 0, up = 0;
            for (int v = 0; v < nvConf; v++) { double pj = joint[e * nvConf + v]; pe += pj; up += pj * s[v]; }
            if (pe == 0) continue;
            double q = up / pe;
            info += pe * Xlogx(q) + pe * Xlogx(1 - q);
            logitQ[e] = Math.Log(q) - Math.Log(1 - q);
            pUp += up;
        }
        info -= Xlogx(pUp) + Xlogx(1 - pUp);
        if (gradient != null)
        {
            Array.Clear(gradient);
            double logitP = Math.Log(pUp) - Math.Log(1 - pUp);
            for (int e = 0; e < neConf; e++)
                for (int v = 0; v < nvConf; v++)
                {
                    double w = joint[e * nvConf + v] * ds[v] * (logitQ[e] - logitP);
                    for (int i = 0; i < nv; i++) gradient[i] += w * (((v >> i) & 1) == 1 ? 1 : -1);
                    gradient[nv] += w;
                }
        }
        return info;
    }

    /// <summary>Exact I(V:E) in nats from the joint table.</summary>
    public static double VisibleInformation(double[] joint, int nv)
    {
        int nvConf = 1 << nv, neConf = joint.Length / nvConf;
        var pv = new double[nvConf];
        double info = 0;
        for (int e = 0; e < neConf; e++)
        {
            double pe = 0;
            for (int v = 0; v < nvConf; v++) { pe += joint[e * nvConf + v]; pv[v] += joint[e * nvConf + v]; }
            info -= Xlogx(pe);
            for (int v = 0; v < nvConf; v++) info += Xlogx(joint[e * nvConf + v]);
        }
        foreach (double x in pv) info -= Xlogx(x);
        return info;
    }

    /// <summary>
    /// The best N_h = 1 filter by direct maximisation of the exact I_Λ(H:E): Adam ascent on the analytic gradient from
    /// several starts (random and Kadanoff-like), as the supremum may lie at large weights.
    /// </summary>
    public static (double Info, double[] Lambda, double Bias) MaximiseFilterInformation(double[] joint, int nv, int starts, int steps, ulong seed)
    {
        var rng = RandomStreams.Create(seed, 0, "exact-max");
        double best = double.NegativeInfinity; double[] bestL = []; double bestC = 0;
        var grad = new double[nv + 1];
        for (int s = 0; s < starts; s++)
        {
            var theta = new double[nv + 1];
            for (int i = 0; i < nv; i++) theta[i] = s == 0 ? 0.5 : rng.NextGaussian();
            var adam = new Rsmi.Learning.Nn.Adam(nv + 1, 0.05);
            for (int t = 0; t < steps; t++)
            {
                FilterInformation(joint, nv, theta[..nv], theta[nv], grad);
                adam.Ascend(theta, grad);
            }
            double info = FilterInformation(joint, nv, theta[..nv], theta[nv]);
            if (info > best) { best = info; bestL = theta[..nv]; bestC = theta[nv]; }
        }
        return (best, bestL, bestC);
    }

    private static double Xlogx(double x) => x > 0 ? x * Math.Log(x) : 0;
}
