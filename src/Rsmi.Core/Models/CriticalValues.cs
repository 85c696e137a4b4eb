namespace Rsmi.Models;

/// <summary>
/// Exact values at a model's critical point, which the RG flow's estimates are compared with (flow.json, the flow's
/// printout and figures, the study report); NaN where none is known.
/// </summary>
/// <param name="Temperature">T_c (J = k_B = 1).</param>
/// <param name="Nu">The correlation-length exponent ν = 1/y_t.</param>
/// <param name="Yh">The magnetic eigenvalue exponent y_h.</param>
/// <param name="Eta">η = d + 2 − 2y_h.</param>
public sealed record CriticalValues(double Temperature, double Nu, double Yh, double Eta);
