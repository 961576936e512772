// Package repo has no code: its tests check files at the root of the
// repository that no other package owns, such as the README's Go code
// blocks and the CI workflow.
package repo
