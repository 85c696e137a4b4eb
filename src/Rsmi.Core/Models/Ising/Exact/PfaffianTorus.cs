namespace Rsmi.Models.Ising.Exact;

/// <summary>
/// Exact partition function and diagonal correlation of the Ising model on a finite Lx × Ly torus from the
/// Pfaffian (dimer) solution (Kasteleyn 1963; McCoy &amp; Wu, The Two-Dimensional Ising Model, ch. V), extended by
/// a coupling K₃ along one diagonal (the anisotropic triangular lattice, Houtappel 1950):
/// Z = ½ 2^N [Z_{½,½} + Z_{½,0} + Z_{0,½} − Z_{0,0}],  Z_{a,b} = Π_{p,q} D(θ_p, φ_q)^{1/2},
/// θ_p = 2π(p + a)/Lx, φ_q = 2π(q + b)/Ly,
/// D(θ, φ) = c² c₃ + s² s₃ − s (cos θ + cos φ) − s₃ cos(θ + φ), s = sinh 2K, c = cosh 2K, s₃ = sinh 2K₃, c₃ = cosh 2K₃,
/// where in Z_{0,0} the zero mode D(0, 0) = (s e^{K₃} − e^{−K₃})² enters with its signed root e^{−K₃} − s e^{K₃}
/// (negative below T_c). The diagonal correlation is ⟨s_(x,y) s_(x+1,y+1)⟩ = (1/N) ∂ ln Z/∂K₃ at K₃ = 0, with
/// ∂D/∂K₃ = 2s² − 2 cos(θ + φ) there; by symmetry it equals the anti-diagonal one. Checked against exact
/// enumeration (ln Z and the diagonal correlation), against Kaufman's ln Z and, as L → ∞, against McCoy–Wu.
/// </summary>
public static class PfaffianTorus
{
    /// <summary>ln Z of the Lx × Ly torus (Lx, Ly ≥ 2) at coupling K (finite, positive).</summary>
    public static double LogPartitionFunction(int lx, int ly, double coupling)
    {
        Require.That(lx >= 2 && ly >= 2, $"lattice sides must be at least 2, got {lx}x{ly}.");
        Require.That(coupling > 0 && double.IsFinite(coupling), $"the coupling K = 1/T must be a finite positive number, got {coupling}.");
        return Evaluate(lx, ly, coupling, out _);
    }

    /// <summary>
    /// Exact diagonal correlation ⟨s_(x,y) s_(x+1,y±1)⟩ of the L × L torus at temperature T (L ≥ 2, T finite and
    /// positive); at L → ∞ it becomes <see cref="McCoyWu.DiagonalCorrelation"/>.
    /// </summary>
    public static double DiagonalCorrelation(int l, double temperature) => DiagonalCorrelation(l, l, temperature);

    /// <summary>Exact diagonal correlation of the Lx × Ly torus (both diagonals have the same value).</summary>
    public static double DiagonalCorrelation(int lx, int ly, double temperature)
    {
        Ising2D.RequireTemperature(temperature);
        Require.That(lx >= 2 && ly >= 2, $"lattice sides must be at least 2, got {lx}x{ly}.");
        Evaluate(lx, ly, 1.0 / temperature, out double dK3);
        return dK3 / ((double)lx * ly);
    }

    /// <summary>ln Z at K₃ = 0 and ∂ ln Z/∂K₃ there.</summary>
    private static double Evaluate(int lx, int ly, double k, out double dLnZdK3)
    {
        double s = Math.Sinh(2 * k);
        double twoS2 = 2 * s * s;
        Span<double> logAbs = stackalloc double[4];
        Span<double> sign = stackalloc double[4];
        Span<double> deriv = stackalloc double[4];        // ∂ ln|Z_ab| / ∂K₃, or ∂Z_ab/∂K₃ / |rest| for a vanishing zero mode
        Span<bool> vanishing = stackalloc bool[4];
        ReadOnlySpan<double> shiftA = [0.5, 0.5, 0.0, 0.0];
        ReadOnlySpan<double> shiftB = [0.5, 0.0, 0.5, 0.0];
        for (int sector = 0; sector < 4; sector++)
        {
            double la = 0, d = 0, sg = 1;
            bool zeroModeVanishes = false;
            double zeroModeSlope = 0;
            for (int p = 0; p < lx; p++)
            {
                double theta = 2 * Math.PI * (p + shiftA[sector]) / lx;
                double cosTheta = Math.Cos(theta);
                for (int q = 0; q < ly; q++)
                {
                    double phi = 2 * Math.PI * (q + shiftB[sector]) / ly;
                    double dPrime = twoS2 - 2 * Math.Cos(theta + phi);
                    if (sector == 3 && p == 0 && q == 0)
                    {
                        // Signed zero mode f = e^{−K₃} − s e^{K₃} at K₃ = 0: f = 1 − s, f' = −(1 + s).
                        double f = 1 - s;
                        if (f == 0) { zeroModeVanishes = true; zeroModeSlope = -(1 + s); continue; }
                        la += Math.Log(Math.Abs(f));
                        if (f < 0) sg = -sg;
                        d += -(1 + s) / f;
                        continue;
                    }
                    // D = c² − s (cos θ + cos φ) written as (c² − 2s) + s (1 − cos θ) + s (1 − cos φ) ≥ 0 without cancellation.
                    double hθ = Math.Sin(0.5 * theta), hφ = Math.Sin(0.5 * phi);
                    double dd = (s - 1) * (s - 1) + 2 * s * (hθ * hθ + hφ * hφ);
                    la += 0.5 * Math.Log(dd);
                    d += 0.5 * dPrime / dd;
                }
            }
            logAbs[sector] = la;
            sign[sector] = sector == 3 ? -sg : sg;           // Z = ½ 2^N (Z₁ + Z₂ + Z₃ − Z₀₀)
            vanishing[sector] = zeroModeVanishes;
            deriv[sector] = zeroModeVanishes ? zeroModeSlope : d;
        }
        double max = double.NegativeInfinity;
        for (int t = 0; t < 4; t++) if (logAbs[t] > max) max = logAbs[t];
        double sum = 0, dsum = 0;
        for (int t = 0; t < 4; t++)
        {
            double w = sign[t] * Math.Exp(logAbs[t] - max);
            if (vanishing[t]) { dsum += w * deriv[t]; continue; }   // Z_ab = 0, ∂Z_ab/∂K₃ = f' · rest
            sum += w;
            dsum += w * deriv[t];
        }
        dLnZdK3 = dsum / sum;
        double sites = (double)lx * ly;
        return -Math.Log(2) + sites * Math.Log(2) + max + Math.Log(sum);
    }
}
