"""sources as structured entries (title, publisher, url, citation); the shipped catalog's digest

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("publisher", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("url", sa.String(length=1000), nullable=True))
        batch_op.alter_column("citation", existing_type=sa.Text(), nullable=True)
    with op.batch_alter_table("catalog_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipped_digest", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("catalog_version", schema=None) as batch_op:
        batch_op.drop_column("shipped_digest")
    op.execute("UPDATE sources SET citation = COALESCE(citation, title, key)")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.alter_column("citation", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("url")
        batch_op.drop_column("publisher")
        batch_op.drop_column("title")
