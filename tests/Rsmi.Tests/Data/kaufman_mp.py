# Reference values for KaufmanTests: Kaufman's torus partition function evaluated with 60 significant
# digits (mpmath) and differentiated numerically; prints u = -(1/L^2) d lnZ/dK at K_c for L = 4 and 64.
# Run: python3 kaufman_mp.py   (needs mpmath)
import mpmath as mp
mp.mp.dps = 60
def lnZ(L, K):
    K = mp.mpf(K)
    def gam(q):
        if q == 0: return 2*K + mp.log(mp.tanh(K))
        return mp.acosh(mp.cosh(2*K)*mp.coth(2*K) - mp.cos(mp.pi*q/L))
    P = [mp.mpf(1)]*4
    for r in range(L):
        g1, g0 = gam(2*r+1), gam(2*r)
        P[0] *= 2*mp.cosh(L*g1/2); P[1] *= 2*mp.sinh(L*g1/2)
        P[2] *= 2*mp.cosh(L*g0/2); P[3] *= 2*mp.sinh(L*g0/2)
    return mp.log(mp.mpf(1)/2*(2*mp.sinh(2*K))**(L*L/mp.mpf(2))*sum(P))
Kc = mp.log(1+mp.sqrt(2))/2
for L in (4, 64):
    d = mp.diff(lambda k: lnZ(L, k), Kc)
    print(L, mp.nstr(-d/(L*L), 20))
