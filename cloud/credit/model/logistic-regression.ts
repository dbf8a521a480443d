// Maximum-likelihood logistic regression by Newton's method (iteratively reweighted
// least squares), the fit a scorecard needs: it converges to the exact estimate in a few
// iterations on a handful of WoE columns and gives the coefficients' standard errors.
// The linear algebra (Cholesky solve, inverse of the information matrix) is ml-matrix's.
// npm's ml-logistic-regression was considered and not used: it runs a fixed number of
// unnormalised gradient steps without an intercept or a convergence test, so its
// coefficients depend on the learning rate and the row count.
import { CholeskyDecomposition, inverse, Matrix } from 'ml-matrix';

export interface LogisticFit {
  readonly intercept: number;
  readonly coefficients: readonly number[];
  readonly standardErrors: readonly number[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly logLikelihood: number;
}

export interface LogisticOptions {
  readonly maxIterations?: number;
  readonly tolerance?: number;
  // A little ridge on the slopes keeps the information matrix invertible when two
  // columns are nearly collinear or a class separates perfectly.
  readonly ridge?: number;
  // Row weights (e.g. for calibration on a resample); 1 when absent.
  readonly weights?: Float64Array;
}

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

// features: one Float64Array per column, all of the target's length. target: 1 = event.
export function fitLogistic(features: readonly Float64Array[], target: Uint8Array, options: LogisticOptions = {}): LogisticFit {
  const n = target.length;
  const p = features.length + 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-9;
  const ridge = options.ridge ?? 1e-6;
  const x = (row: number, j: number): number => (j === 0 ? 1 : (features[j - 1]?.[row] ?? 0));
  const beta = new Float64Array(p);
  let iterations = 0;
  let converged = false;
  let information = Matrix.eye(p);
  for (; iterations < maxIterations && !converged; iterations += 1) {
    const hessian = new Matrix(p, p);
    const gradient = new Matrix(p, 1);
    for (let i = 0; i < n; i += 1) {
      let eta = 0;
      for (let j = 0; j < p; j += 1) eta += (beta[j] as number) * x(i, j);
      const mu = sigmoid(eta);
      const w = options.weights?.[i] ?? 1;
      const r = w * ((target[i] as number) - mu);
      const v = w * mu * (1 - mu);
      for (let j = 0; j < p; j += 1) {
        const xj = x(i, j);
        gradient.set(j, 0, gradient.get(j, 0) + xj * r);
        for (let k = 0; k <= j; k += 1) hessian.set(j, k, hessian.get(j, k) + v * xj * x(i, k));
      }
    }
    for (let j = 0; j < p; j += 1) {
      for (let k = 0; k < j; k += 1) hessian.set(k, j, hessian.get(j, k));
      if (j > 0) {
        hessian.set(j, j, hessian.get(j, j) + ridge);
        gradient.set(j, 0, gradient.get(j, 0) - ridge * (beta[j] as number));
      }
    }
    information = hessian;
    const cholesky = new CholeskyDecomposition(hessian);
    const step = cholesky.isPositiveDefinite() ? cholesky.solve(gradient) : inverse(hessian, true).mmul(gradient);
    let largest = 0;
    for (let j = 0; j < p; j += 1) {
      beta[j] = (beta[j] as number) + step.get(j, 0);
      largest = Math.max(largest, Math.abs(step.get(j, 0)));
    }
    converged = largest < tolerance;
  }
  const covariance = inverse(information, true);
  let logLikelihood = 0;
  for (let i = 0; i < n; i += 1) {
    let eta = 0;
    for (let j = 0; j < p; j += 1) eta += (beta[j] as number) * x(i, j);
    const mu = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(eta)));
    logLikelihood += (options.weights?.[i] ?? 1) * (target[i] === 1 ? Math.log(mu) : Math.log(1 - mu));
  }
  return {
    intercept: beta[0] as number,
    coefficients: Array.from(beta.subarray(1)),
    standardErrors: Array.from({ length: p - 1 }, (_, j) => Math.sqrt(Math.max(0, covariance.get(j + 1, j + 1)))),
    iterations,
    converged,
    logLikelihood,
  };
}
